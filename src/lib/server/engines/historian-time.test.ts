import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Quality } from '$lib/shared/protocol';
import { parsePlantModel } from '../domain/plant/load';
import { PRUNE_MAX_SHARE } from '../domain/time/retention';
import { TagStore } from '../domain/tags/tag-store';
import { openDatabase, type Db } from '../store/db';
import { CHUNK_SAMPLES, HistoryStore } from '../store/history-store';
import { StorageGuard, STORAGE_RETRY_MS } from '../store/storage-guard';
import { StorageUnavailableError } from '../store/storage-errors';
import { damageRootPage } from '../testing/damaged-page';
import { FakeClock } from '../testing/fake-clock';
import { capDatabase, fillUp, uncapDatabase } from '../testing/full-disk';
import { silentLog } from '../testing/silent-log';
import { readConfig } from '../config';
import { Historian } from './historian';

// The historian against a wrong clock and a full disk, on a real SQLite file.
const plant = parsePlantModel(fs.readFileSync('config/plant.json', 'utf8'), 'config/plant.json');
const TEMP = 'acme/utrecht/packaging/line1/filler/product_temperature';
const SPEED = 'acme/utrecht/packaging/line2/filler/speed';
const YEAR = 365 * 86_400_000;
/** SOURCE_MAX_FUTURE_S as configured by default. */
const MAX_FUTURE_MS = readConfig({}).maxFutureMs;

let dir: string;
let db: Db;
let clock: FakeClock;
let store: TagStore;
let guard: StorageGuard;

/** A value stamped on arrival (an MQTT message without timestamp_ms): source time = server time = now. */
const arrive = (p: string, value: number) => store.apply({ path: p, value, quality: Quality.Good, sourceTs: clock.now(), serverTs: clock.now(), origin: 'mqtt' });
/** A value with the source's own time stamp. */
const stamped = (p: string, value: number, sourceTs: number) => store.apply({ path: p, value, quality: Quality.Good, sourceTs, serverTs: clock.now(), origin: 'mqtt' });
const start = () => new Historian(plant, store, new HistoryStore(db), guard, clock, silentLog, { maxFutureMs: MAX_FUTURE_MS });
const values = (h: Historian, p: string, from: number, to: number) => [...(h.query(p, from, to, 100_000)?.values ?? [])];

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hist-time-'));
	db = openDatabase(path.join(dir, 'hmi.db'));
	clock = new FakeClock();
	store = new TagStore();
	guard = new StorageGuard(db, clock, silentLog);
});
afterEach(() => {
	guard.stop();
	db.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

/** Ten samples one second apart, stamped on arrival, from `first` on. */
function tenSeconds(p: string, first: number): void {
	for (let i = 0; i < 10; i++) {
		arrive(p, first + i);
		clock.advance(1000);
	}
}

describe('Historian and the clock', () => {
	test('one sample stamped ten years ahead is refused and does not stop the tag\'s history', () => {
		const historian = start();
		const t0 = clock.now();
		tenSeconds(SPEED, 0);
		stamped(SPEED, 999, clock.now() + 10 * YEAR);
		tenSeconds(SPEED, 10);
		expect(values(historian, SPEED, t0, clock.now())).toEqual(Array.from({ length: 20 }, (_, i) => i));
		expect(historian.stats).toMatchObject({ droppedFuture: 1, droppedOutOfOrder: 0 });
		// Within the tolerance a source's clock may run ahead.
		stamped(SPEED, 20, clock.now() + MAX_FUTURE_MS - 1000);
		expect(historian.stats.droppedFuture).toBe(1);
	});

	test('the limit is the connectors\' one (SOURCE_MAX_FUTURE_S): a plant that allows 5 minutes records a sample 2 minutes ahead', () => {
		const historian = new Historian(plant, store, new HistoryStore(db), guard, clock, silentLog, { maxFutureMs: 300_000 });
		stamped(SPEED, 1, clock.now() + 120_000);
		stamped(SPEED, 2, clock.now() + 300_001);
		expect(values(historian, SPEED, clock.now(), clock.now() + YEAR)).toEqual([1]);
		expect(historian.stats.droppedFuture).toBe(1);
	});

	test('a sample from the future left in the open chunk by an older version does not stop the history after a restart', () => {
		const first = start();
		const t0 = clock.now();
		tenSeconds(TEMP, 0);
		first.stop();
		// What the old historian stored: a row stamped ten years ahead, after which it refused every sample.
		const tagId = new HistoryStore(db).findTagId(TEMP)!;
		db.prepare('INSERT INTO history_open (tag_id, ts, value) VALUES (?, ?, ?)').run(tagId, clock.now() + 10 * YEAR, 999);

		store = new TagStore();
		const second = start();
		tenSeconds(TEMP, 10);
		expect(values(second, TEMP, t0, clock.now())).toEqual(Array.from({ length: 20 }, (_, i) => i));
		expect(second.stats.droppedOutOfOrder).toBe(0);
		// Kept, not deleted: set apart in a chunk of its own.
		expect(values(second, TEMP, clock.now() + 9 * YEAR, clock.now() + 11 * YEAR)).toEqual([999]);

		second.stop();
		store = new TagStore();
		const third = start();
		tenSeconds(TEMP, 20);
		expect(values(third, TEMP, t0, clock.now())).toEqual(Array.from({ length: 30 }, (_, i) => i));
	});

	test('after the clock steps back one hour, tags stamped on arrival keep their history', () => {
		const historian = start();
		const t0 = clock.now();
		tenSeconds(SPEED, 0);
		clock.jump(-3600_000);
		tenSeconds(SPEED, 10);
		expect(historian.stats).toMatchObject({ droppedOutOfOrder: 0, clockSteps: 1 });
		// Both stretches are there, in time order: the new one is stamped an hour earlier.
		expect(values(historian, SPEED, t0 - 3600_000, t0 + 60_000)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
		clock.advance(1000);
		// And after a restart.
		historian.stop();
		store = new TagStore();
		const again = start();
		expect(values(again, SPEED, t0 - 3600_000, t0 + 60_000)).toHaveLength(20);
		tenSeconds(SPEED, 20);
		expect(values(again, SPEED, t0 - 3600_000, t0 + 60_000)).toHaveLength(30);
	});

	test('a late message within normal time is still refused as out of order', () => {
		const historian = start();
		stamped(TEMP, 1, clock.now());
		stamped(TEMP, 2, clock.now() - 5000);
		expect(historian.stats).toMatchObject({ droppedOutOfOrder: 1, clockSteps: 0 });
	});

	test('the history of a tag that has not reported since the restart is served from disk', () => {
		const first = start();
		const t0 = clock.now();
		for (let i = 0; i < CHUNK_SAMPLES + 10; i++) {
			arrive(TEMP, i);
			clock.advance(1000);
		}
		first.stop();
		store = new TagStore();
		const second = start();
		expect(second.has(TEMP)).toBe(true);
		const result = second.query(TEMP, t0, clock.now(), 100_000)!;
		expect(result.count).toBe(CHUNK_SAMPLES + 10);
		expect(second.query('acme/utrecht/packaging/line1/filler/no_such_tag', t0, clock.now(), 100)).toBeUndefined();
	});

	test('two chunks of a tag that start at the same millisecond are merged, not one replacing the other', () => {
		const history = new HistoryStore(db);
		const id = history.createTag(TEMP);
		const t = clock.now();
		history.appendBatch([{ tagId: id, ts: Float64Array.of(t, t + 1000), values: Float64Array.of(1, 2) }]);
		history.appendBatch([{ tagId: id, ts: Float64Array.of(t, t + 500), values: Float64Array.of(3, 4) }]);
		// Written twice (a retried flush): no duplicates.
		history.appendBatch([{ tagId: id, ts: Float64Array.of(t, t + 500), values: Float64Array.of(3, 4) }]);
		expect([...history.closedSamples(id, t, t + 2000).values]).toEqual([1, 3, 4, 2]);
	});
});

describe('Historian on a full disk', () => {
	test('samples wait while the database refuses them, the flush never throws, and they are written once there is room', () => {
		const historian = start();
		const t0 = clock.now();
		capDatabase(db);
		const filler = db.prepare('INSERT INTO history_open (tag_id, ts, value) VALUES (0, ?, 0)');
		fillUp((i) => filler.run(i));
		expect(() => tenSeconds(TEMP, 0)).not.toThrow();
		expect(historian.stats.failedFlushes).toBeGreaterThan(0);
		expect(guard.status.state).toBe('failing');
		// Still answered from memory meanwhile.
		expect(values(historian, TEMP, t0, clock.now())).toHaveLength(10);
		uncapDatabase(db);
		clock.advance(STORAGE_RETRY_MS);
		expect(historian.stats.buffered).toBe(0);
		expect(guard.status.state).toBe('ok');
		historian.stop();
		store = new TagStore();
		expect(values(start(), TEMP, t0, clock.now())).toEqual(Array.from({ length: 10 }, (_, i) => i));
	});
});

describe('Historian when the open chunk left by the last run cannot be read', () => {
	// Reproduced: a failed read of a tag's unfinished chunk was taken as an empty chunk and kept; when that
	// chunk closed, `DELETE FROM history_open WHERE tag_id = ?` deleted the last run's samples with it.
	const file = () => path.join(dir, 'hmi.db');

	/** 100 samples of TEMP in the open chunk on disk; then a restart on a new connection whose first read of the chunk fails. */
	function restartWithUnreadableChunk(): { t0: number; putBack: () => void } {
		const first = start();
		const t0 = clock.now();
		for (let i = 0; i < 100; i++) {
			arrive(TEMP, i);
			clock.advance(1000);
		}
		first.stop();
		guard.stop();
		db.close();
		const putBack = damageRootPage(file(), 'history_open_tag');
		db = openDatabase(file());
		guard = new StorageGuard(db, clock, silentLog);
		store = new TagStore();
		return {
			t0,
			putBack: () => {
				putBack();
				db.pragma('shrink_memory'); // the connection drops its copy of the unreadable page and reads it again
			}
		};
	}

	test('recording: the read is tried again later, and closing the chunk keeps every sample of the last run', () => {
		const { t0, putBack } = restartWithUnreadableChunk();
		const second = start();
		arrive(TEMP, 1000); // its history cannot be opened: this sample is lost, counted
		expect(second.stats.droppedOverflow).toBe(1);
		putBack();
		clock.advance(STORAGE_RETRY_MS);
		for (let i = 100; i < CHUNK_SAMPLES + 150; i++) {
			arrive(TEMP, i);
			clock.advance(1000);
		}
		second.stop();
		expect(db.prepare('SELECT COUNT(*) FROM history_chunks').pluck().get()).toBe(1); // the chunk closed
		store = new TagStore();
		expect(values(start(), TEMP, t0, clock.now())).toEqual(Array.from({ length: CHUNK_SAMPLES + 150 }, (_, i) => i));
	});

	test('a query (GET /api/history) answers 503 while the chunk cannot be read, and the whole history once it can', () => {
		const { t0, putBack } = restartWithUnreadableChunk();
		const second = start();
		expect(() => second.query(TEMP, t0, clock.now(), 100_000)).toThrow(StorageUnavailableError);
		putBack();
		expect(values(second, TEMP, t0, clock.now())).toEqual(Array.from({ length: 100 }, (_, i) => i));
		for (let i = 100; i < CHUNK_SAMPLES + 150; i++) {
			arrive(TEMP, i);
			clock.advance(1000);
		}
		second.stop();
		store = new TagStore();
		expect(values(start(), TEMP, t0, clock.now())).toEqual(Array.from({ length: CHUNK_SAMPLES + 150 }, (_, i) => i));
	});
});

describe('history retention and the clock', () => {
	/** Closed chunks of one tag, one per day over `days` days, ending at the clock's now. */
	function daysOfChunks(days: number): void {
		const history = new HistoryStore(db);
		const id = history.createTag(TEMP);
		for (let d = days; d > 0; d--) {
			const t = clock.now() - d * 86_400_000;
			history.appendBatch([{ tagId: id, ts: Float64Array.of(t, t + 1000), values: Float64Array.of(d, d) }]);
		}
	}
	const chunks = () => db.prepare('SELECT COUNT(*) FROM history_chunks').pluck().get() as number;
	const present = () => ({ now: clock.now(), jumps: [], aheadMs: MAX_FUTURE_MS });

	test('a forward jump nobody saw (no jump remembered) deletes nothing newer than the newest chunk minus the retention', () => {
		daysOfChunks(100);
		const historian = start();
		clock.jump(5 * YEAR);
		for (let i = 0; i < 10; i++) historian.prune(90, present());
		// Chunks end one per day up to a day ago: 90 days before the newest, days 1 to 91 stay.
		expect(chunks()).toBe(91);
	});

	test('one prune deletes at most the bounded share of the chunks', () => {
		daysOfChunks(100);
		const historian = start();
		const result = historian.prune(1, present())!;
		expect(result.removed).toBe(Math.ceil(100 * PRUNE_MAX_SHARE));
		expect(chunks()).toBe(100 - Math.ceil(100 * PRUNE_MAX_SHARE));
	});
});
