import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { captureLog } from '../testing/capture-log';
import { FakeClock } from '../testing/fake-clock';
import { capDatabase, fillUp, uncapDatabase } from '../testing/full-disk';
import { openDatabase, type Db } from './db';
import { StorageGuard, type StorageWriteStatus } from './storage-guard';

let dir: string;
let db: Db;
let clock: FakeClock;

const ROW = 'r'.repeat(200);
const insertRow = (label: string) => () => db.prepare('INSERT INTO t (label, pad) VALUES (?, ?)').run(label, ROW);
const labels = () => db.prepare('SELECT label FROM t WHERE label NOT LIKE ? ORDER BY id').pluck().all('fill%');

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-'));
	db = openDatabase(path.join(dir, 'hmi.db'));
	db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, label TEXT NOT NULL, pad TEXT)');
	clock = new FakeClock();
});
afterEach(() => {
	db.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

/** No room for another row of table t (the filler rows are smaller than the rows under test). */
function diskFull(): void {
	capDatabase(db);
	fillUp((i) => db.prepare('INSERT INTO t (label, pad) VALUES (?, ?)').run(`fill${i}`, ROW.slice(0, 100)));
}

describe('StorageGuard', () => {
	test('a write on a full disk does not throw: it waits, the state says failing, and it is written in order once there is room', () => {
		const { log, lines } = captureLog();
		const guard = new StorageGuard(db, clock, log, { queueLimit: 100, retryMs: 5000, drainBatch: 2 });
		const seen: StorageWriteStatus[] = [];
		guard.onChange((s) => seen.push(s));
		expect(guard.write('journal', { n: 0 }, insertRow('a'))).toBe('written');

		diskFull();
		expect(guard.write('journal', { n: 1 }, insertRow('b'))).toBe('queued');
		// Behind a waiting row, even one that would fit waits too: the order is kept.
		expect(guard.write('journal', { n: 2 }, insertRow('c'))).toBe('queued');
		expect(guard.write('audit', { n: 3 }, insertRow('d'))).toBe('queued');
		clock.flushImmediates();
		expect(guard.status).toMatchObject({ state: 'failing', queued: 3, queuedByKind: { journal: 2, audit: 1 }, lastError: { kind: 'journal', code: 'SQLITE_FULL' } });
		expect(seen.at(-1)?.state).toBe('failing');
		expect(lines().some((l) => l.msg === 'storage: row waits to be written (the database refuses writes)' && (l.row as { n: number }).n === 1)).toBe(true);

		clock.advance(5000); // a retry: still full
		expect(guard.status.queued).toBe(3);

		uncapDatabase(db);
		clock.advance(5000);
		expect(labels()).toEqual(['a', 'b', 'c', 'd']);
		expect(guard.status).toMatchObject({ state: 'ok', queued: 0, writtenLate: 3, overflowed: 0 });
		expect(seen.at(-1)?.state).toBe('ok');
	});

	test('an operator waiting (urgent) gets the row written at once when the disk has room again', () => {
		const guard = new StorageGuard(db, clock, captureLog().log);
		diskFull();
		expect(guard.write('journal', {}, insertRow('first'))).toBe('queued');
		uncapDatabase(db);
		expect(guard.write('journal', {}, insertRow('ack'), { urgent: true })).toBe('written');
		expect(labels()).toEqual(['first', 'ack']);
		expect(guard.status.state).toBe('ok');
	});

	test('a later successful write (historian flush) writes the waiting rows too', () => {
		const guard = new StorageGuard(db, clock, captureLog().log);
		diskFull();
		guard.write('journal', {}, insertRow('waiting'));
		uncapDatabase(db);
		expect(guard.attempt('history', insertRow('flush'))).toBe(true);
		expect(labels()).toEqual(['flush', 'waiting']);
		expect(guard.status.queued).toBe(0);
	});

	test('rows with the same key replace each other while they wait', () => {
		const guard = new StorageGuard(db, clock, captureLog().log);
		diskFull();
		guard.write('alarm_state', {}, insertRow('x1'), { key: 'x' });
		guard.write('alarm_state', {}, insertRow('y1'), { key: 'y' });
		guard.write('alarm_state', {}, insertRow('x2'), { key: 'x' });
		expect(guard.status.queued).toBe(2);
		uncapDatabase(db);
		expect(guard.retry()).toBe(true);
		expect(labels()).toEqual(['y1', 'x2']);
	});

	test('past the limit the oldest waiting row is dropped, counted and logged with its content', () => {
		const { log, lines } = captureLog();
		const guard = new StorageGuard(db, clock, log, { queueLimit: 2, retryMs: 5000, drainBatch: 500 });
		diskFull();
		for (const label of ['r1', 'r2', 'r3', 'r4']) guard.write('journal', { label }, insertRow(label));
		expect(guard.status).toMatchObject({ queued: 2, overflowed: 2 });
		const dropped = lines().filter((l) => l.msg === 'storage: waiting rows over the limit, the oldest is dropped');
		expect(dropped.map((l) => (l.row as { label: string }).label)).toEqual(['r1', 'r2']);
		uncapDatabase(db);
		guard.retry();
		expect(labels()).toEqual(['r3', 'r4']);
	});

	test('a row refused for its own sake (a constraint) is not retried: lost, counted, logged; the storage is not called failing', () => {
		const { log, lines } = captureLog();
		const guard = new StorageGuard(db, clock, log);
		const bad = () => db.prepare('INSERT INTO t (label) VALUES (NULL)').run();
		expect(guard.write('journal', { what: 'bad' }, bad)).toBe('lost');
		expect(guard.status).toMatchObject({ state: 'ok', queued: 0, rejected: 1 });
		expect(lines().find((l) => l.msg === 'storage: row refused by the database and not written')).toMatchObject({ row: { what: 'bad' }, err: { code: 'SQLITE_CONSTRAINT_NOTNULL' } });
	});

	test('while draining, a refused row is dropped on its own and the rest of its batch is written', () => {
		const guard = new StorageGuard(db, clock, captureLog().log);
		diskFull();
		guard.write('journal', {}, insertRow('before'));
		guard.write('journal', {}, () => db.prepare('INSERT INTO t (label) VALUES (NULL)').run());
		guard.write('journal', {}, insertRow('after'));
		uncapDatabase(db);
		expect(guard.retry()).toBe(true);
		expect(labels()).toEqual(['before', 'after']);
		expect(guard.status).toMatchObject({ rejected: 1, writtenLate: 2 });
	});

	test('reads: an engine gets its fallback, a request gets StorageUnavailableError (HMI_ERR_STORAGE)', () => {
		const guard = new StorageGuard(db, clock, captureLog().log);
		const broken = () => db.prepare('SELECT * FROM no_such_table').all();
		expect(guard.read('test', broken, [])).toEqual([]);
		expect(() => guard.readOrThrow('the journal', broken)).toThrow(expect.objectContaining({ code: 'HMI_ERR_STORAGE', name: 'StorageUnavailableError' }));
	});

	test('stop logs every row still waiting', () => {
		const { log, lines } = captureLog();
		const guard = new StorageGuard(db, clock, log);
		diskFull();
		guard.write('journal', { label: 'never' }, insertRow('never'));
		guard.stop();
		expect(lines().filter((l) => l.msg === 'storage: row not written before shutdown (the database refused it)').map((l) => l.row)).toEqual([{ label: 'never' }]);
	});
});
