import { describe, expect, test } from 'vitest';
import { TrendStore, type HistorySource } from './trend.svelte';
import type { HistoryQuery, HistoryResult } from './history-api';

/** A history source whose answers the test releases one by one. */
function fakeSource() {
	const calls: { q: HistoryQuery; resolve: (r: HistoryResult) => void }[] = [];
	const source: HistorySource = (q) => new Promise((resolve) => calls.push({ q, resolve }));
	return { source, calls };
}

const A = 'acme/l/m/a';
const K = 'acme/l/m/_kpi/oee';

describe('TrendStore', () => {
	test('loads every pen and continues the history with the live values that came meanwhile', async () => {
		const { source, calls } = fakeSource();
		const store = new TrendStore(source);
		store.setPens([{ path: A, scale: 1 }]);
		const done = store.load(1000, 10_000, 500);
		expect(store.loading).toBe(true);
		expect(calls.map((c) => c.q)).toEqual([{ path: A, from: 1000, to: 10_000, points: 500 }]);
		store.append(A, 10_500, 7);
		calls[0].resolve({ ok: true, raw: true, series: { ts: [2000, 9000], v: [1, 2] } });
		await done;
		expect(store.loading).toBe(false);
		expect(store.series(A)).toEqual({ ts: [2000, 9000, 10_500], v: [1, 2, 7] });
		expect(store.loaded).toEqual({ from: 1000, to: 10_000, raw: true });
		expect(store.pointCount).toBe(3);
		expect(store.lastTs).toBe(10_500);
		expect(store.aligned()).toEqual([[2000, 9000, 10_500], [1, 2, 7]]);
	});

	test('a KPI fraction is scaled to % in history and live values', async () => {
		const { source, calls } = fakeSource();
		const store = new TrendStore(source);
		store.setPens([{ path: K, scale: 100 }]);
		const done = store.load(0, 1000, 10);
		calls[0].resolve({ ok: true, raw: true, series: { ts: [10], v: [0.5] } });
		await done;
		store.append(K, 2000, 0.75);
		store.append(K, 3000, null);
		expect(store.series(K)).toEqual({ ts: [10, 2000, 3000], v: [50, 75, null] });
	});

	test('an answer overtaken by a newer request is dropped', async () => {
		const { source, calls } = fakeSource();
		const store = new TrendStore(source);
		store.setPens([{ path: A, scale: 1 }]);
		const first = store.load(0, 1000, 10);
		const second = store.load(5000, 6000, 10);
		calls[1].resolve({ ok: true, raw: false, series: { ts: [5500], v: [55] } });
		await second;
		calls[0].resolve({ ok: true, raw: true, series: { ts: [500], v: [5] } });
		await first;
		expect(store.series(A)).toEqual({ ts: [5500], v: [55] });
		expect(store.loaded).toEqual({ from: 5000, to: 6000, raw: false });
	});

	test('a failed pen says why; the others still load', async () => {
		const { source, calls } = fakeSource();
		const store = new TrendStore(source);
		store.setPens([{ path: A, scale: 1 }, { path: K, scale: 100 }]);
		const done = store.load(0, 1000, 10);
		calls[0].resolve({ ok: false, key: 'trends.error.load' });
		calls[1].resolve({ ok: true, raw: true, series: { ts: [1], v: [0.1] } });
		await done;
		expect(store.errorKey).toBe('trends.error.load');
		expect(store.series(K)?.v).toEqual([10]);
	});

	test('pens that stay keep their data; trim drops what scrolled out; version counts changes', () => {
		const store = new TrendStore(fakeSource().source);
		store.setPens([{ path: A, scale: 1 }]);
		for (let t = 1; t <= 5; t++) store.append(A, t * 1000, t);
		store.setPens([{ path: A, scale: 1 }, { path: K, scale: 100 }]);
		expect(store.series(A)?.ts).toEqual([1000, 2000, 3000, 4000, 5000]);
		expect(store.loaded).toBeNull();
		const before = store.version;
		store.trim(3500);
		expect(store.series(A)?.ts).toEqual([3000, 4000, 5000]);
		expect(store.version).toBe(before + 1);
		store.append(A, 5000, 9); // not newer: no change
		store.append('unknown', 9000, 1);
		expect(store.version).toBe(before + 1);
	});
});
