import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Quality } from '$lib/shared/protocol';
import { parsePlantModel } from '../domain/plant/load';
import { TagStore } from '../domain/tags/tag-store';
import { openDatabase, type Db } from '../store/db';
import { CHUNK_SAMPLES, HistoryStore } from '../store/history-store';
import { FakeClock } from '../testing/fake-clock';
import { silentLog } from '../testing/silent-log';
import { testGuard } from '../testing/test-guard';
import { readConfig } from '../config';
import { Historian } from './historian';

const shipped = JSON.parse(fs.readFileSync('config/plant.json', 'utf8'));
shipped.machineTypes.filler.tags.find((t: { id: string }) => t.id === 'co2_pressure').historianDeadband = 0.05;
const plant = parsePlantModel(JSON.stringify(shipped), 'test');
const TEMP = 'acme/utrecht/packaging/line1/filler/product_temperature';
const CO2 = 'acme/utrecht/packaging/line1/filler/co2_pressure';

let dir: string;
let db: Db;
let clock: FakeClock;
let store: TagStore;
const T0 = Date.UTC(2026, 10, 24, 6);
const set = (p: string, value: unknown, ts: number, quality: Quality = Quality.Good) =>
	store.apply({ path: p, value: value as never, quality, sourceTs: ts, serverTs: ts, origin: 'opcua-line1' });
const start = () => new Historian(plant, store, new HistoryStore(db), testGuard(db, clock), clock, silentLog, { maxFutureMs: readConfig({}).maxFutureMs });

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hist-'));
	db = openDatabase(path.join(dir, 'hmi.db'));
	clock = new FakeClock(T0);
	store = new TagStore();
});
afterEach(() => {
	db.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

describe('Historian', () => {
	test('records every change of a numeric tag, and answers a range query with the raw samples', () => {
		const historian = start();
		for (let i = 0; i < 10; i++) set(TEMP, 5 + i / 10, T0 + i * 1000);
		const result = historian.query(TEMP, T0 + 2000, T0 + 5000, 1000)!;
		expect(result.raw).toBe(true);
		expect([...result.ts]).toEqual([T0 + 2000, T0 + 3000, T0 + 4000]);
		expect([...result.values]).toEqual([5.2, 5.3, 5.4]);
	});

	test('a deadband keeps only real changes, plus a heartbeat once a minute', () => {
		const historian = start();
		const values = [3.0, 3.01, 3.04, 3.06, 3.07, 3.2];
		values.forEach((v, i) => set(CO2, v, T0 + i * 1000));
		set(CO2, 3.21, T0 + 64_000); // within the deadband, 59 s after the last record: skipped
		set(CO2, 3.2, T0 + 66_000); // 61 s after the last record: the heartbeat keeps it
		expect([...historian.query(CO2, T0, T0 + 100_000, 1000)!.values]).toEqual([3.0, 3.06, 3.2, 3.2]);
	});

	test('bad or stale quality records one gap (NaN); strings and alarm objects are not recorded', () => {
		const historian = start();
		set(TEMP, 5, T0);
		set(TEMP, 5, T0 + 1000, Quality.Stale);
		set(TEMP, 5, T0 + 2000, Quality.Bad);
		set(TEMP, 6, T0 + 3000);
		set('acme/utrecht/packaging/line1/filler/state', 'running', T0);
		expect([...historian.query(TEMP, T0, T0 + 10_000, 100)!.values]).toEqual([5, Number.NaN, 6]);
		expect(historian.has('acme/utrecht/packaging/line1/filler/state')).toBe(false);
	});

	test('writes at least once a second, in chunks; data survives a restart, including the open chunk', () => {
		const first = start();
		const n = CHUNK_SAMPLES * 3 + 100;
		for (let i = 0; i < n; i++) set(TEMP, i, T0 + i * 1000);
		clock.advance(1000);
		expect(first.stats.flushes).toBeGreaterThanOrEqual(1);
		expect(db.prepare('SELECT COUNT(*) FROM history_chunks').pluck().get()).toBe(3);
		expect(db.prepare('SELECT COUNT(*) FROM history_open').pluck().get()).toBe(100);
		first.stop();

		store = new TagStore();
		const second = start();
		set(TEMP, n, T0 + n * 1000);
		const all = second.query(TEMP, T0, T0 + (n + 1) * 1000, 10_000)!;
		expect(all.count).toBe(n + 1);
		expect([...all.values]).toEqual(Array.from({ length: n + 1 }, (_, i) => i));
	});

	test('a large range is downsampled with spikes kept', () => {
		const historian = start();
		for (let i = 0; i < 20_000; i++) set(TEMP, i === 12_345 ? 99 : 5 + (i % 7) / 10, T0 + i * 1000);
		const result = historian.query(TEMP, T0, T0 + 20_000_000, 400)!;
		expect(result).toMatchObject({ raw: false, count: 20_000 });
		expect(result.ts.length).toBeLessThanOrEqual(400);
		expect(Math.max(...result.values)).toBe(99);
	});

	test('out-of-order samples are dropped and counted, never stored out of order', () => {
		const historian = start();
		set(TEMP, 1, T0 + 5000);
		set(TEMP, 2, T0 + 4000);
		expect(historian.stats.droppedOutOfOrder).toBe(1);
		expect([...historian.query(TEMP, T0, T0 + 10_000, 100)!.values]).toEqual([1]);
	});
});
