import { describe, expect, test } from 'vitest';
import {
	DEFAULT_TREND_RANGE,
	MAX_PENS,
	RANGE_MS,
	parseTime,
	parseTrendSearch,
	sameSpan,
	scaleWindow,
	shiftStartIn,
	trendHref,
	trendSearch,
	windowAt,
	type TrendState
} from './trend-view';

const AMS = { starts: ['06:00', '14:00', '22:00'], timezone: 'Europe/Amsterdam' };
const T1 = 'acme/utrecht/packaging/line1/filler/product_temperature';
const T2 = 'acme/utrecht/packaging/line1/filler/speed';

describe('shiftStartIn (plant time zone)', () => {
	test.each([
		['early shift, on the dot', '2026-11-24T05:00:00Z', '2026-11-24T05:00:00Z'],
		['late shift', '2026-11-24T15:30:00Z', '2026-11-24T13:00:00Z'],
		['night shift after midnight began the day before', '2026-11-24T04:59:00Z', '2026-11-23T21:00:00Z'],
		['night shift before midnight', '2026-11-24T22:10:00Z', '2026-11-24T21:00:00Z'],
		['summer time (CEST, UTC+2)', '2026-07-01T10:00:00Z', '2026-07-01T04:00:00Z'],
		['the morning clocks go forward', '2026-03-29T05:30:00Z', '2026-03-29T04:00:00Z'],
		['the morning clocks go back', '2026-10-25T06:30:00Z', '2026-10-25T05:00:00Z']
	])('%s', (_name, now, start) => {
		expect(new Date(shiftStartIn(Date.parse(now), AMS)).toISOString()).toBe(new Date(start).toISOString());
	});

	test('uses the plant zone, not the machine zone', () => {
		const now = Date.parse('2026-11-24T12:00:00Z'); // 07:00 in New York
		expect(new Date(shiftStartIn(now, { starts: ['06:00'], timezone: 'America/New_York' })).toISOString()).toBe('2026-11-24T11:00:00.000Z');
	});

	test('skips malformed starts; without any usable start: eight hours back', () => {
		const now = Date.parse('2026-11-24T12:00:00Z');
		expect(shiftStartIn(now, { starts: ['x', '06:00'], timezone: 'UTC' })).toBe(Date.parse('2026-11-24T06:00:00Z'));
		expect(shiftStartIn(now, { starts: ['nope'], timezone: 'UTC' })).toBe(now - 8 * 3_600_000);
	});
});

describe('windowAt', () => {
	const now = Date.parse('2026-11-24T15:30:00Z');
	test.each(['5m', '1h', '24h', '7d'] as const)('%s ends now and follows the present', (range) => {
		expect(windowAt({ kind: 'preset', range }, now, AMS)).toEqual({ from: now - RANGE_MS[range], to: now, live: true });
	});
	test('shift starts at the shift start', () => {
		expect(windowAt({ kind: 'preset', range: 'shift' }, now, AMS)).toEqual({ from: Date.parse('2026-11-24T13:00:00Z'), to: now, live: true });
	});
	test('right after a shift change it still shows five minutes', () => {
		const t = Date.parse('2026-11-24T13:01:00Z');
		expect(windowAt({ kind: 'preset', range: 'shift' }, t, AMS).from).toBe(t - RANGE_MS['5m']);
	});
	test('a fixed period does not move', () => {
		expect(windowAt({ kind: 'custom', from: 1, to: 2 }, now, AMS)).toEqual({ from: 1, to: 2, live: false });
	});
});

describe('URL state', () => {
	test('pens and a preset', () => {
		const s = parseTrendSearch(new URLSearchParams(`pen=${T1}&pen=${T2}&range=24h`));
		expect(s).toEqual({ pens: [T1, T2], span: { kind: 'preset', range: '24h' } });
	});
	test('defaults: no pens, the default range; unknown ranges fall back', () => {
		expect(parseTrendSearch(new URLSearchParams(''))).toEqual({ pens: [], span: { kind: 'preset', range: DEFAULT_TREND_RANGE } });
		expect(parseTrendSearch(new URLSearchParams('range=1y')).span).toEqual({ kind: 'preset', range: DEFAULT_TREND_RANGE });
	});
	test('duplicates and blanks are dropped, at most MAX_PENS kept', () => {
		const many = Array.from({ length: 12 }, (_, i) => `pen=a/${i}`).join('&');
		expect(parseTrendSearch(new URLSearchParams(`pen=${T1}&pen=${T1}&pen=&${many}`)).pens).toHaveLength(MAX_PENS);
		expect(parseTrendSearch(new URLSearchParams(`pen=${T1}&pen=${T1}`)).pens).toEqual([T1]);
	});
	test('from/to (ISO or epoch ms) win over range, and are put in order', () => {
		const s = parseTrendSearch(new URLSearchParams('range=1h&from=2026-11-24T12:00:00.000Z&to=1795600000000'));
		expect(s.span).toEqual({ kind: 'custom', from: Date.parse('2026-11-24T12:00:00Z'), to: 1795600000000 });
		const swapped = parseTrendSearch(new URLSearchParams('from=2000&to=1000'));
		expect(swapped.span).toEqual({ kind: 'custom', from: 1000, to: 2000 });
	});
	test('an unreadable or half period falls back to the range', () => {
		expect(parseTrendSearch(new URLSearchParams('from=yesterday&to=1000&range=5m')).span).toEqual({ kind: 'preset', range: '5m' });
		expect(parseTrendSearch(new URLSearchParams('from=1000&range=5m')).span).toEqual({ kind: 'preset', range: '5m' });
	});
	test.each<TrendState>([
		{ pens: [T1, T2], span: { kind: 'preset', range: 'shift' } },
		{ pens: [T1], span: { kind: 'custom', from: Date.parse('2026-11-24T12:00:00Z'), to: Date.parse('2026-11-24T13:30:00Z') } },
		{ pens: [], span: { kind: 'preset', range: '7d' } }
	])('serialise → parse gives the same state (%#)', (state) => {
		const search = trendSearch(state);
		expect(parseTrendSearch(new URLSearchParams(search.slice(1)))).toEqual(state);
	});
	test('the shared link', () => {
		expect(trendHref({ pens: [T1], span: { kind: 'preset', range: '1h' } })).toBe(
			`/trends?pen=${encodeURIComponent(T1)}&range=1h`
		);
		expect(trendSearch({ pens: [], span: { kind: 'custom', from: 0, to: 60_000 } })).toBe(
			'?from=1970-01-01T00%3A00%3A00.000Z&to=1970-01-01T00%3A01%3A00.000Z'
		);
	});
	test('parseTime', () => {
		expect(parseTime('1795000000000')).toBe(1795000000000);
		expect(parseTime('2026-11-24T12:00:00Z')).toBe(Date.parse('2026-11-24T12:00:00Z'));
		expect(parseTime('')).toBeNull();
		expect(parseTime(null)).toBeNull();
		expect(parseTime('soon')).toBeNull();
	});
});

describe('helpers', () => {
	test('sameSpan', () => {
		expect(sameSpan({ kind: 'preset', range: '1h' }, { kind: 'preset', range: '1h' })).toBe(true);
		expect(sameSpan({ kind: 'preset', range: '1h' }, { kind: 'preset', range: '5m' })).toBe(false);
		expect(sameSpan({ kind: 'preset', range: '1h' }, { kind: 'custom', from: 1, to: 2 })).toBe(false);
		expect(sameSpan({ kind: 'custom', from: 1, to: 2 }, { kind: 'custom', from: 1, to: 2 })).toBe(true);
	});
	test('scaleWindow zooms around the middle, never below the minimum', () => {
		expect(scaleWindow(0, 100_000, 0.5)).toEqual({ from: 25_000, to: 75_000 });
		expect(scaleWindow(0, 100_000, 2)).toEqual({ from: -50_000, to: 150_000 });
		expect(scaleWindow(0, 2_000, 0.1, 1_000)).toEqual({ from: 500, to: 1_500 });
	});
});
