import { describe, expect, test } from 'vitest';
import { downsampleIndexes } from './downsample';

/** n samples, one per second from t = 0, values from `f`. */
function series(n: number, f: (i: number) => number) {
	const ts = new Float64Array(n);
	const values = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		ts[i] = i * 1000;
		values[i] = f(i);
	}
	return { ts, values };
}

describe('downsampleIndexes', () => {
	test('no more samples than points: all are kept', () => {
		const { ts, values } = series(10, (i) => i);
		expect([...downsampleIndexes(ts, values, 0, 10_000, 10)]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
	});

	test('per bucket: first, min, max and last, in time order', () => {
		// 2 buckets of 5 samples: [5, 1, 9, 3, 4] and [2, 8, 0, 7, 6]
		const data = [5, 1, 9, 3, 4, 2, 8, 0, 7, 6];
		const { ts, values } = series(10, (i) => data[i]);
		expect([...downsampleIndexes(ts, values, 0, 10_000, 8)]).toEqual([0, 1, 2, 4, 5, 6, 7, 9]);
	});

	test('a single spike in a million samples survives a reduction to 2,000 points', () => {
		const { ts, values } = series(1_000_000, (i) => (i === 654_321 ? 1000 : Math.sin(i / 1000)));
		const kept = downsampleIndexes(ts, values, 0, 1_000_000_000, 2000);
		expect(kept.length).toBeLessThanOrEqual(2000);
		expect([...kept]).toContain(654_321);
		expect(kept[0]).toBe(0);
		expect(kept[kept.length - 1]).toBe(999_999);
		// The global minimum survives too, and every index is in time order.
		const minIndex = values.indexOf(Math.min(...values.subarray(0, 10_000)));
		expect([...kept]).toContain(minIndex);
		expect([...kept].every((v, i, a) => i === 0 || v > a[i - 1])).toBe(true);
	});

	test('NaN (no value) is never chosen as the lowest or highest; empty buckets are skipped', () => {
		const ts = Float64Array.from([0, 1000, 2000, 9000, 9500]);
		const values = Float64Array.from([NaN, 5, 3, 1, NaN]);
		// 4 points → 1 bucket over [0, 10 s): first 0, highest at 1 (5), lowest at 3 (1), last 4.
		expect([...downsampleIndexes(ts, values, 0, 10_000, 4)]).toEqual([0, 1, 3, 4]);
	});
});
