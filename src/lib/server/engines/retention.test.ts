import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parsePlantModel } from '../domain/plant/load';
import { PRUNE_MAX_SHARE } from '../domain/time/retention';
import { TagStore } from '../domain/tags/tag-store';
import { AuthService, SESSION_KEEP_MS } from '../auth/auth-service';
import { AlarmJournal } from '../store/alarm-journal';
import { openDatabase, type Db } from '../store/db';
import { HistoryStore } from '../store/history-store';
import { StorageGuard } from '../store/storage-guard';
import { FakeClock } from '../testing/fake-clock';
import { silentLog } from '../testing/silent-log';
import { ClockWatch, CLOCK_CHECK_MS } from './clock-watch';
import { readConfig } from '../config';
import { Historian } from './historian';
import { PRUNE_EVERY_MS, PRUNE_PAUSE_AFTER_CLOCK_JUMP_MS, RetentionService } from './retention';

// Reproduced: a forward jump of the wall clock past the journal's retention deleted all 100 rows within a second.
const plant = parsePlantModel(fs.readFileSync('config/plant.json', 'utf8'), 'config/plant.json');
const DAY = 86_400_000;
const RETENTION_MS = plant.alarmSettings.journalRetentionDays * DAY;

let dir: string;
let db: Db;
let clock: FakeClock;
let guard: StorageGuard;
let journal: AlarmJournal;

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retention-'));
	db = openDatabase(path.join(dir, 'hmi.db'));
	clock = new FakeClock();
	guard = new StorageGuard(db, clock, silentLog);
	journal = new AlarmJournal(db, guard);
});
afterEach(() => {
	guard.stop();
	db.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

/** `n` journal rows, one an hour, the newest an hour ago. */
function journalRows(n: number): void {
	for (let i = n; i > 0; i--) {
		journal.append({ ts: clock.now() - i * 3600_000, alarmId: 'a', line: 'line1', machine: null, priority: 3, from: 'normal', to: 'unack_active', action: null, value: null, user: null, comment: null, reason: null, message: { en: 'm', nl: 'm' } });
	}
}
const count = () => db.prepare('SELECT COUNT(*) FROM alarm_journal').pluck().get() as number;

function startRetention(store = new TagStore()): { retention: RetentionService; watch: ClockWatch } {
	const watch = new ClockWatch(store, clock, silentLog);
	const historian = new Historian(plant, store, new HistoryStore(db), guard, clock, silentLog, { maxFutureMs: readConfig({}).maxFutureMs });
	const auth = new AuthService(db, new Uint8Array(32), 3600_000, clock, silentLog);
	const retention = new RetentionService({ plant, journal, historian, sessions: auth, guard, sinceClockJump: () => watch.sinceLastJump(), clock, log: silentLog });
	return { retention, watch };
}

describe('retention and the clock', () => {
	test('a forward jump past the retention deletes no journal row: not while the jump is fresh, not after', () => {
		journalRows(100);
		startRetention();
		clock.jump(RETENTION_MS + 30 * DAY);
		clock.advance(CLOCK_CHECK_MS + 1000);
		expect(count()).toBe(100);
		clock.advance(2 * PRUNE_EVERY_MS);
		expect(count()).toBe(100);
		// Past the pause the newest row is the reference, and it is recent.
		clock.advance(PRUNE_PAUSE_AFTER_CLOCK_JUMP_MS);
		expect(count()).toBe(100);
	});

	test('pruning waits after a detected jump', () => {
		const { retention } = startRetention();
		clock.advance(CLOCK_CHECK_MS);
		clock.jump(-2 * 3600_000);
		clock.advance(CLOCK_CHECK_MS);
		expect(retention.pruneNow()).toEqual({ paused: true });
		clock.advance(PRUNE_PAUSE_AFTER_CLOCK_JUMP_MS);
		expect(retention.pruneNow()).toMatchObject({ paused: false });
	});

	test('rows older than the retention before the newest row go, at most a bounded share per prune', () => {
		clock.jump(-RETENTION_MS - 2 * DAY);
		journalRows(100); // all of them older than the retention…
		clock.jump(RETENTION_MS + 2 * DAY);
		journalRows(1); // …before this newest one
		const { retention } = startRetention(); // prunes once at start
		expect(count()).toBe(101 - Math.ceil(101 * PRUNE_MAX_SHARE));
		const before = count();
		expect(retention.pruneNow()).toMatchObject({ paused: false, journal: { removed: Math.ceil(before * PRUNE_MAX_SHARE) } });
		// The oldest go first, and the newest row stays whatever happens.
		const left = db.prepare('SELECT ts FROM alarm_journal ORDER BY ts').pluck().all() as number[];
		expect(left).toHaveLength(before - Math.ceil(before * PRUNE_MAX_SHARE));
		expect(left.at(-1)).toBe(clock.now() - 3600_000);
	});

	test('sessions: a clock set ahead ends no session early, and one prune takes at most its share', async () => {
		const auth = new AuthService(db, new Uint8Array(32), 3600_000, clock, silentLog);
		await auth.createUser('anna', 'anna-password-1', 'operator');
		for (let i = 0; i < 20; i++) await auth.login('anna', 'anna-password-1', 'test');
		clock.jump(10 * 365 * DAY);
		expect(auth.pruneSessions().removed).toBe(0);
		clock.jump(-10 * 365 * DAY);
		clock.advance(3600_000 + SESSION_KEEP_MS + DAY);
		await auth.login('anna', 'anna-password-1', 'test');
		expect(auth.pruneSessions().removed).toBe(Math.ceil(21 * PRUNE_MAX_SHARE));
	});
});
