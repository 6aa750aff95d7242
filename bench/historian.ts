// Historian figures: ingest rate (samples/s into the tag store and historian, SQLite flushes included) and a
// 1,000,000-sample range read back and downsampled to 2,000 points, including the JSON the API sends.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Quality } from '$lib/shared/protocol';
import { parsePlantModel } from '$lib/server/domain/plant/load';
import { TagStore } from '$lib/server/domain/tags/tag-store';
import { readConfig } from '$lib/server/config';
import { Historian } from '$lib/server/engines/historian';
import { createLogger } from '$lib/server/log';
import { openDatabase } from '$lib/server/store/db';
import { HistoryStore } from '$lib/server/store/history-store';
import { StorageGuard } from '$lib/server/store/storage-guard';
import { FakeClock } from '$lib/server/testing/fake-clock';
import type { Figure } from './figure';

export async function historianBench(): Promise<Figure[]> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hmi-bench-'));
	try {
		const plant = parsePlantModel(fs.readFileSync('config/plant.json', 'utf8'), 'config/plant.json');
		const db = openDatabase(path.join(dir, 'hmi.db'));
		const clock = new FakeClock(Date.UTC(2026, 0, 1));
		const store = new TagStore();
		const historian = new Historian(plant, store, new HistoryStore(db), new StorageGuard(db, clock, createLogger('silent')), clock, createLogger('silent'), { maxFutureMs: readConfig({}).maxFutureMs });

		// Ingest: 1,000 tags changing, 1,000,000 updates, flushed once per simulated second as in production.
		const TAGS = 1000;
		const UPDATES = 1_000_000;
		const paths = Array.from({ length: TAGS }, (_, i) => `acme/bench/area/line${i % 10}/machine${i % 100}/tag${i}`);
		const start = clock.now();
		const t0 = performance.now();
		for (let i = 0; i < UPDATES; i++) {
			const ts = start + Math.floor(i / 50); // 50,000 updates per simulated second
			store.apply({ path: paths[i % TAGS], value: Math.sin(i / 977) * 10 + (i % 13), quality: Quality.Good, sourceTs: ts, serverTs: ts, origin: 'mqtt' });
			if (i % 50_000 === 49_999) historian.flush();
		}
		historian.flush();
		const ingestS = (performance.now() - t0) / 1000;

		// Range: one tag with 1,000,000 samples (11.6 days at 1 Hz), read back and downsampled to 2,000 points.
		const one = 'acme/bench/area/line0/machine0/long';
		const rangeStart = start + 10_000_000;
		for (let i = 0; i < 1_000_000; i++) {
			const ts = rangeStart + i * 1000;
			store.apply({ path: one, value: Math.sin(i / 5000) * 50 + (i % 7), quality: Quality.Good, sourceTs: ts, serverTs: ts, origin: 'mqtt' });
			if (i % 100_000 === 99_999) historian.flush();
		}
		historian.flush();
		const times: number[] = [];
		let points = 0;
		for (let run = 0; run < 5; run++) {
			const q0 = performance.now();
			const result = historian.query(one, rangeStart, rangeStart + 1_000_000_000, 2000)!;
			JSON.stringify({ ts: Array.from(result.ts), v: Array.from(result.values) });
			times.push(performance.now() - q0);
			points = result.ts.length;
			if (result.count !== 1_000_000) throw new Error(`expected 1,000,000 samples in range, got ${result.count}`);
		}
		historian.stop();
		db.close();
		times.sort((a, b) => a - b);
		return [
			{ name: 'historian ingest', value: Math.round(UPDATES / ingestS), unit: 'samples/s', goal: '≥ 50,000', met: UPDATES / ingestS >= 50_000, note: `${TAGS} tags, tag store + historian + SQLite, one core` },
			{ name: 'history 1,000,000 → 2,000 points', value: Math.round(times[2] * 10) / 10, unit: 'ms (median of 5)', goal: '≤ 100', met: times[2] <= 100, note: `${points} points returned, read + downsample + JSON` }
		];
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}
