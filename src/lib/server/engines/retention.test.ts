import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, onTestFinished, test } from 'vitest';
import { SYSTEM_TAGS } from '../domain/alarms/system';
import { parsePlantModel } from '../domain/plant/load';
import type { PlantModel } from '../domain/plant/schema';
import { PRUNE_MAX_SHARE } from '../domain/time/retention';
import { TagStore } from '../domain/tags/tag-store';
import { AuthService, SESSION_KEEP_MS } from '../auth/auth-service';
import { AlarmJournal } from '../store/alarm-journal';
import { ClockStore } from '../store/clock-store';
import { openDatabase, type Db } from '../store/db';
import { HistoryStore } from '../store/history-store';
import { StorageGuard } from '../store/storage-guard';
import { damageRootPage } from '../testing/damaged-page';
import { FakeBoot } from '../testing/fake-boot';
import { FakeClock } from '../testing/fake-clock';
import { silentLog } from '../testing/silent-log';
import { readConfig } from '../config';
import { ClockWatch, CLOCK_CHECK_MS } from './clock-watch';
import { PRUNE_EVERY_MS, RetentionService } from './retention';

// Reproduced: a forward jump of the wall clock past the retention deleted the journal and the history, a few
// per cent an hour: every row stamped after the jump was the newest row, so the cutoff (newest row minus the
// retention) moved with the wrong clock; a pause after the jump only delayed it, a restart forgot it, and a
// jump while the server was down was never seen. Here the journal and the history get a row every hour
// before and after the jump, and retention runs hourly for weeks: no row younger than the retention in true
// time may go, and older ones still do.
const shipped = parsePlantModel(fs.readFileSync('config/plant.json', 'utf8'), 'config/plant.json');
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const RETENTION_DAYS = 10;
const RETENTION_MS = RETENTION_DAYS * DAY;
/** The shipped plant with a short retention for journal and history, so weeks of plant time run quickly. */
const plant: PlantModel = {
	...shipped,
	alarmSettings: { ...shipped.alarmSettings, journalRetentionDays: RETENTION_DAYS },
	historian: { ...shipped.historian, retentionDays: RETENTION_DAYS }
};
const TAG = 'acme/utrecht/packaging/line1/filler/speed';

let dir: string;
let file: string;
let clock: FakeClock;
let boot: FakeBoot;
/** The true time: the fake clock's wall time before any jump, moved on by its monotonic time. */
let trueNow: () => number;

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retention-'));
	file = path.join(dir, 'hmi.db');
	clock = new FakeClock();
	boot = new FakeBoot(clock);
	const t0 = clock.now() - clock.monotonic();
	trueNow = () => t0 + clock.monotonic();
});
afterEach(() => {
	server?.stop();
	server = undefined;
	fs.rmSync(dir, { recursive: true, force: true });
});

/** One run of the server's storage, clock watch and retention on the database file. */
class Server {
	readonly db: Db;
	readonly guard: StorageGuard;
	readonly journal: AlarmJournal;
	readonly history: HistoryStore;
	readonly store = new TagStore();
	readonly watch: ClockWatch;
	readonly retention: RetentionService;
	readonly #tagId: number;

	constructor() {
		this.db = openDatabase(file);
		this.guard = new StorageGuard(this.db, clock, silentLog);
		this.journal = new AlarmJournal(this.db, this.guard);
		this.history = new HistoryStore(this.db);
		this.#tagId = this.history.createTag(TAG);
		this.watch = new ClockWatch({ store: this.store, clock, boot, clocks: new ClockStore(this.db), guard: this.guard, log: silentLog });
		const auth = new AuthService(this.db, new Uint8Array(32), HOUR, clock, silentLog, {}, this.guard);
		const history = this.history;
		this.retention = new RetentionService({
			plant,
			journal: this.journal,
			history: { prune: (days, time) => history.prune(time, days * DAY), oldestStamp: () => history.oldestEnd() },
			sessions: auth,
			clockWatch: this.watch,
			aheadMs: readConfig({}).maxFutureMs,
			guard: this.guard,
			clock,
			log: silentLog
		});
	}

	/** A journal row and a closed history chunk stamped by the server's clock; both carry the true time. */
	writeRow(): void {
		const truth = trueNow();
		this.journal.append({ ts: clock.now(), alarmId: 'a', line: 'line1', machine: null, priority: 3, from: 'normal', to: 'unack_active', action: null, value: null, user: null, comment: String(truth), reason: null, message: { en: 'm', nl: 'm' } });
		this.history.appendBatch([{ tagId: this.#tagId, ts: Float64Array.of(clock.now() - 1000, clock.now()), values: Float64Array.of(truth, truth) }]);
	}

	/** True times of the rows still there: [journal, history]. */
	rowsLeft(): [number[], number[]] {
		const journal = this.db.prepare('SELECT comment FROM alarm_journal').pluck().all() as string[];
		const history = [...this.history.closedSamples(this.#tagId, -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER).values];
		return [journal.map(Number), [...new Set(history)]];
	}

	stop(): void {
		this.retention.stop();
		this.watch.stop();
		this.guard.stop();
		this.db.close();
	}
}
let server: Server | undefined;

/** The rows written so far, by true time. */
let written: number[];

/** `hours` of plant time: a row every hour, every timer running (clock checks, retention every hour). */
function run(hours: number): void {
	for (let h = 0; h < hours; h++) {
		server!.writeRow();
		written.push(trueNow());
		clock.advance(HOUR);
		checkNothingYoungLost();
	}
}

/** Every row missing from journal and history is older than the retention in true time. */
function checkNothingYoungLost(): void {
	const now = trueNow();
	const [journal, history] = server!.rowsLeft();
	for (const [table, left] of [
		['journal', new Set(journal)],
		['history', new Set(history)]
	] as const) {
		const lostYoung = written.filter((t) => !left.has(t) && now - t <= RETENTION_MS);
		expect(lostYoung.map((t) => `${table}: a row ${((now - t) / DAY).toFixed(1)} days old`)).toEqual([]);
	}
}

/** Rows older than the retention (plus a day for the bounded share) in true time that are still there. */
function overdue(): number {
	const now = trueNow();
	const [journal, history] = server!.rowsLeft();
	return [...journal, ...history].filter((t) => now - t > RETENTION_MS + DAY).length;
}

function restart(): void {
	server!.stop();
	server = new Server();
}

beforeEach(() => {
	written = [];
});

describe('retention counts ages in corrected time: no clock jump deletes a row younger than the retention', () => {
	const BIG = RETENTION_MS + 30 * DAY;

	test.each([
		['a forward jump past the retention while running', () => jumpAndCheck(BIG, 'forward')],
		[
			'the same, and a restart a few hours after it',
			() => {
				jumpAndCheck(BIG, 'forward');
				run(5);
				restart();
			}
		],
		[
			'a forward jump past the retention while the server was down (same boot)',
			() => {
				server!.stop();
				clock.jump(BIG);
				server = new Server();
				expect(server.watch.health().last).toMatchObject({ jumpMs: BIG, how: 'same-boot' });
				expect(server.store.get(SYSTEM_TAGS.clockJump)?.value).toBe('forward');
			}
		],
		[
			'a step back past the retention while the machine was off (rebooted)',
			() => {
				server!.stop();
				boot.reboot();
				// Far enough back that the clock does not reach the old stamps again within the test: from then
				// on, old and new stamps cannot be told apart and the old rows are kept until their stamps age.
				clock.jump(-(RETENTION_MS + 60 * DAY));
				server = new Server();
				expect(server.watch.health().last).toMatchObject({ how: 'last-seen' });
				expect(server.store.get(SYSTEM_TAGS.clockJump)?.value).toBe('backward');
			}
		],
		[
			'a clock set a year ahead, and set right by NTP a week later',
			() => {
				jumpAndCheck(365 * DAY, 'forward');
				run(7 * 24);
				restart();
				run(24);
				jumpAndCheck(-365 * DAY, 'backward');
			}
		]
	])('%s', (_what, jump) => {
		server = new Server();
		run(12 * 24);
		jump();
		run(15 * 24);
		restart();
		run(2 * 24);
		// Retention still does its work: what is older than the retention in true time has gone.
		expect(overdue()).toBe(0);
	}, 120_000);

	test('a clock that ran a year behind from the start, set right by NTP: the rows it stamped age by true time', () => {
		clock.jump(-365 * DAY);
		server = new Server();
		run(12 * 24);
		jumpAndCheck(365 * DAY, 'forward');
		run(17 * 24);
		expect(overdue()).toBe(0);
	}, 120_000);

	/** Steps the wall clock and lets the clock watch find it. */
	function jumpAndCheck(ms: number, direction: 'forward' | 'backward'): void {
		clock.jump(ms);
		clock.advance(CLOCK_CHECK_MS);
		expect(server!.watch.health().last).toMatchObject({ jumpMs: ms, how: 'running' });
		expect(server!.store.get(SYSTEM_TAGS.clockJump)?.value).toBe(direction);
	}
});

describe('retention', () => {
	test('a prune before the next clock check still sees a jump that just happened', () => {
		server = new Server();
		run(3 * 24);
		clock.jump(RETENTION_MS + DAY);
		server.writeRow(); // stamped by the jumped clock: the newest row
		written.push(trueNow());
		server.retention.pruneNow();
		checkNothingYoungLost();
		expect(server.watch.health().jumps).toBe(1);
	});

	test('rows older than the retention go, oldest first, at most a bounded share per prune', () => {
		server = new Server();
		clock.advance(PRUNE_EVERY_MS); // retention has run once at start, on an empty table
		const journal = server.journal;
		for (let i = 0; i < 100; i++) journal.append({ ts: clock.now() - RETENTION_MS - (100 - i) * HOUR, alarmId: 'a', line: 'line1', machine: null, priority: 3, from: 'normal', to: 'unack_active', action: null, value: null, user: null, comment: null, reason: null, message: { en: 'm', nl: 'm' } });
		journal.append({ ts: clock.now() - HOUR, alarmId: 'a', line: 'line1', machine: null, priority: 3, from: 'normal', to: 'unack_active', action: null, value: null, user: null, comment: null, reason: null, message: { en: 'm', nl: 'm' } });
		const report = server.retention.pruneNow();
		expect(report).toMatchObject({ skipped: null, journal: { removed: Math.ceil(101 * PRUNE_MAX_SHARE) } });
		const left = server.db.prepare('SELECT ts FROM alarm_journal ORDER BY ts').pluck().all() as number[];
		expect(left).toHaveLength(101 - Math.ceil(101 * PRUNE_MAX_SHARE));
		expect(left[0]).toBe(clock.now() - RETENTION_MS - (100 - Math.ceil(101 * PRUNE_MAX_SHARE)) * HOUR);
		expect(left.at(-1)).toBe(clock.now() - HOUR);
	});

	test('a jump is remembered across restarts until no row stamped before it is left', () => {
		server = new Server();
		run(2 * 24);
		clock.jump(2 * HOUR);
		clock.advance(CLOCK_CHECK_MS);
		expect(server.watch.jumps()).toHaveLength(1);
		run((RETENTION_DAYS - 1) * 24); // rows from before the jump are 9 to 11 days old: some are left
		restart();
		expect(server.watch.jumps()).toHaveLength(1);
		run(2 * 24); // now all of them are older than the retention, and gone
		expect(server.watch.jumps()).toHaveLength(0);
		restart();
		expect(server.watch.jumps()).toHaveLength(0);
	});

	test('nothing is pruned while the remembered jumps cannot be read', () => {
		server = new Server();
		clock.jump(2 * HOUR);
		clock.advance(CLOCK_CHECK_MS);
		server.stop();
		damageRootPage(file, 'clock_jumps');
		server = new Server();
		expect(server.watch.health().remembered).toBeNull();
		expect(server.retention.pruneNow()).toEqual({ skipped: 'jumps-unreadable' });
	});

	test('sessions: a clock set ahead ends no session early, and one prune takes at most its share', async () => {
		const db = openDatabase(file);
		onTestFinished(() => void db.close());
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
