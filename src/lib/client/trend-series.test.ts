import { describe, expect, test } from 'vitest';
import {
	alignSeries,
	appendSample,
	emptySeries,
	mergeHistory,
	needsReload,
	scaleSeries,
	sliceAligned,
	trimBefore,
	valueAt,
	type Series
} from './trend-series';

const s = (ts: number[], v: (number | null)[]): Series => ({ ts, v });

describe('sliding window', () => {
	test('append adds only newer samples', () => {
		const x = emptySeries();
		expect(appendSample(x, 1000, 1)).toBe(true);
		expect(appendSample(x, 1000, 2)).toBe(false);
		expect(appendSample(x, 900, 3)).toBe(false);
		expect(appendSample(x, 2000, null)).toBe(true);
		expect(appendSample(x, Number.NaN, 1)).toBe(false);
		expect(x).toEqual(s([1000, 2000], [1, null]));
	});
	test('a non-finite value becomes a gap', () => {
		const x = emptySeries();
		appendSample(x, 1, Number.POSITIVE_INFINITY);
		expect(x.v).toEqual([null]);
	});
	test('beyond the cap the oldest go', () => {
		const x = emptySeries();
		for (let i = 1; i <= 5; i++) appendSample(x, i, i, 3);
		expect(x).toEqual(s([3, 4, 5], [3, 4, 5]));
	});
	test.each([
		['keeps the last sample before the cutoff', [1, 2, 3, 4], 3, [2, 3, 4], 1],
		['nothing older: nothing dropped', [5, 6], 3, [5, 6], 0],
		['all older: the newest stays', [1, 2], 10, [2], 1],
		['cutoff on a sample', [1, 2, 3], 2, [1, 2, 3], 0],
		['empty', [], 10, [], 0]
	])('trim: %s', (_n, ts, cutoff, left, dropped) => {
		const x = s([...ts], ts.map((t) => t * 10));
		expect(trimBefore(x, cutoff)).toBe(dropped);
		expect(x.ts).toEqual(left);
		expect(x.v).toEqual(left.map((t) => t * 10));
	});
});

describe('mergeHistory', () => {
	test('history, then the live samples after it', () => {
		const history = s([1000, 2000, 3000], [1, 2, 3]);
		const live = s([2500, 3000, 4000, 5000], [9, 9, 4, 5]);
		expect(mergeHistory(history, live, 3500)).toEqual(s([1000, 2000, 3000, 4000, 5000], [1, 2, 3, 4, 5]));
	});
	test('live samples older than the loaded range end (minus a second) are left out', () => {
		const history = s([], []);
		const live = s([1000, 8000, 9500], [1, 8, 9]);
		expect(mergeHistory(history, live, 9000)).toEqual(s([8000, 9500], [8, 9]));
	});
	test('does not change its inputs', () => {
		const history = s([1], [1]);
		const live = s([5], [5]);
		mergeHistory(history, live, 2);
		expect(history).toEqual(s([1], [1]));
	});
	test('scaleSeries', () => {
		expect(scaleSeries(s([1, 2], [0.5, null]), 100)).toEqual(s([1, 2], [50, null]));
	});
});

describe('alignSeries', () => {
	test('union of times; undefined where a pen has no sample; null gaps kept', () => {
		const a = s([1, 3, 5], [10, null, 50]);
		const b = s([2, 3, 6], [20, 30, 60]);
		expect(alignSeries([a, b])).toEqual([
			[1, 2, 3, 5, 6],
			[10, undefined, null, 50, undefined],
			[undefined, 20, 30, undefined, 60]
		]);
	});
	test('no pens, empty pens', () => {
		expect(alignSeries([])).toEqual([[]]);
		expect(alignSeries([emptySeries()])).toEqual([[], []]);
	});
	test('valueAt holds the last value; gaps and the start are told apart', () => {
		const col = [undefined, 2, undefined, null, undefined];
		expect(valueAt(col, 0)).toBeUndefined();
		expect(valueAt(col, 2)).toBe(2);
		expect(valueAt(col, 4)).toBeNull();
		expect(valueAt(col, 99)).toBeNull();
		expect(valueAt([1, undefined, undefined], 2, 1)).toBeUndefined();
	});
	test('sliceAligned keeps the rows inside [from, to]', () => {
		expect(sliceAligned([[1, 2, 3, 4], [1, 2, 3, 4], [undefined, 2, null, 4]], 2, 3)).toEqual([[2, 3], [2, 3], [2, null]]);
	});
});

describe('needsReload', () => {
	const loaded = { from: 1000, to: 2000, raw: false };
	test.each([
		['nothing loaded', null, { from: 0, to: 1, live: false }, true],
		['inside', loaded, { from: 1200, to: 1800, live: false }, false],
		['starts before', loaded, { from: 500, to: 1800, live: false }, true],
		['ends after (fixed)', loaded, { from: 1200, to: 5000, live: false }, true],
		['ends after (live: new values come live)', loaded, { from: 1200, to: 5000, live: true }, false],
		['much narrower than a downsampled load', loaded, { from: 1400, to: 1500, live: false }, true],
		['much narrower, but every sample is there', { ...loaded, raw: true }, { from: 1400, to: 1500, live: false }, false]
	])('%s', (_n, l, view, expected) => {
		expect(needsReload(l, view, 0)).toBe(expected);
	});
});
