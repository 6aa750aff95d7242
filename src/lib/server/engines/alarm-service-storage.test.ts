import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { AlarmRecord } from '$lib/shared/alarms';
import { Quality } from '$lib/shared/protocol';
import { STORAGE_ALARM_OFF_DELAY_MS, systemAlarmId } from '../domain/alarms/system';
import { parsePlantModel } from '../domain/plant/load';
import { TagStore } from '../domain/tags/tag-store';
import { AlarmJournal, AlarmStateStore } from '../store/alarm-journal';
import { Storage } from '../store/storage';
import { STORAGE_RETRY_MS } from '../store/storage-guard';
import { FakeClock } from '../testing/fake-clock';
import { capDatabase, fillUp, uncapDatabase } from '../testing/full-disk';
import { silentLog } from '../testing/silent-log';
import { AlarmService } from './alarm-service';

// The alarm engine on a real SQLite file whose disk fills up (SQLITE_FULL), as reproduced on a running
// instance: the first alarm transition after the disk filled threw out of the MQTT message handler.
const plant = parsePlantModel(fs.readFileSync('config/plant.json', 'utf8'), 'config/plant.json');
const L2 = 'acme/utrecht/packaging/line2';
const FAULT = `${L2}/capper/_alarms/fault`;
const JOURNAL_ALARM = systemAlarmId('journal_not_writable');

let dir: string;
let clock: FakeClock;
let store: TagStore;
let storage: Storage;
let journal: AlarmJournal;

const set = (p: string, value: unknown) => store.apply({ path: p, value: value as never, quality: Quality.Good, sourceTs: clock.now(), serverTs: clock.now(), origin: 'mqtt' });
const record = (id: string) => store.get(id)?.value as unknown as AlarmRecord;
const rows = (alarm: string) => journal.query({ alarm, limit: 50 }).map((r) => [r.from, r.to, r.action]);

/** Fills the journal's pages with small rows until the (capped) database refuses: the disk is full. */
function diskFull(): void {
	capDatabase(storage.db);
	const insert = storage.db.prepare(
		"INSERT INTO alarm_journal (ts, alarm_id, line, priority, from_state, to_state, message) VALUES (?, 'f', 'f', 4, 'normal', 'normal', '{}')"
	);
	fillUp((i) => insert.run(i));
}

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alarm-storage-'));
	clock = new FakeClock();
	store = new TagStore();
	storage = new Storage({ dataDir: dir, clock, log: silentLog });
	storage.publishTo(store);
	journal = new AlarmJournal(storage.db, storage.guard);
});
afterEach(() => {
	storage.stop();
	fs.rmSync(dir, { recursive: true, force: true });
});

const start = () => new AlarmService({ plant, store, journal, states: new AlarmStateStore(storage.db, storage.guard), clock, log: silentLog });

describe('AlarmService on a full disk', () => {
	test('a transition does not throw; the journal-not-writable alarm rises; the rows are written in order once there is room, then it clears', () => {
		const service = start();
		diskFull();
		expect(() => set(`${L2}/capper/state`, 'fault')).not.toThrow();
		expect(record(FAULT).state).toBe('unack_active'); // the engine goes on
		clock.advance(0);
		expect(record(JOURNAL_ALARM)).toMatchObject({ state: 'unack_active', priority: 2, line: '_sys', value: 'failing', detail: 'SQLITE_FULL' });
		expect(service.records().find((r) => r.id === JOURNAL_ALARM)?.state).toBe('unack_active');

		uncapDatabase(storage.db);
		clock.advance(STORAGE_RETRY_MS);
		expect(rows(FAULT)).toEqual([['normal', 'unack_active', null]]);
		expect(rows(JOURNAL_ALARM)).toEqual([['normal', 'unack_active', null]]);
		// Writes work again: after the off-delay the alarm returns to normal, still waiting for an acknowledgement.
		clock.advance(STORAGE_ALARM_OFF_DELAY_MS + 1000);
		expect(record(JOURNAL_ALARM)).toMatchObject({ state: 'rtn_unack', active: false });
		expect(rows(JOURNAL_ALARM)[0]).toEqual(['unack_active', 'rtn_unack', null]);
	});

	test('an acknowledgement takes effect and says its record waits; the row is written later with the right user', () => {
		const service = start();
		set(`${L2}/capper/state`, 'fault');
		diskFull();
		expect(service.act(FAULT, { type: 'ack', user: 'mia', comment: 'disk full, still acked' })).toEqual({ ok: true, journal: 'queued' });
		expect(record(FAULT).state).toBe('ack_active');
		expect(storage.guard.status.queuedByKind.journal).toBe(1);

		uncapDatabase(storage.db);
		// The next operator action finds room and writes what waited first.
		expect(service.act(FAULT, { type: 'shelve', user: 'mia', reason: 'fitter on the way', durationMs: 60_000 })).toEqual({ ok: true, journal: 'written' });
		expect(journal.query({ alarm: FAULT, limit: 10 }).map((r) => [r.action, r.user, r.comment ?? r.reason])).toEqual([
			['shelve', 'mia', 'fitter on the way'],
			['ack', 'mia', 'disk full, still acked'],
			[null, null, null]
		]);
	});

	test('the acknowledged state is saved once there is room, so it survives a restart', () => {
		const service = start();
		set(`${L2}/capper/state`, 'fault');
		diskFull();
		service.act(FAULT, { type: 'ack', user: 'mia' });
		uncapDatabase(storage.db);
		clock.advance(STORAGE_RETRY_MS);
		service.stop();
		store = new TagStore();
		start();
		expect(record(FAULT)).toMatchObject({ state: 'ack_active', acked: true });
	});
});
