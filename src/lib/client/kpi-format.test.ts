import { describe, expect, test } from 'vitest';
import { formatClock, formatDayTime, formatMinutes, formatPercent, formatWeekday } from './kpi-format';
import { NO_VALUE, UNIT_SPACE } from '$lib/format';

const sp = UNIT_SPACE;
// Intl separates number and unit with a (no-break) space; compare minutes with plain spaces.
const plain = (s: string) => s.replace(/\s/g, ' ');

describe('formatPercent', () => {
	test.each([
		['nl', 0.748, `74,8${sp}%`],
		['en', 0.748, '74.8%'],
		['nl', 1, `100,0${sp}%`],
		['en', 0, '0.0%'],
		['en', 0.99949, '99.9%'],
		['nl', 0.9995, `100,0${sp}%`],
		['en', -0.0000001, '0.0%']
	] as const)('%s %s → %s', (lang, ratio, expected) => {
		expect(formatPercent(ratio, lang)).toBe(expected);
	});

	test('other decimals', () => {
		expect(formatPercent(0.85, 'en', 0)).toBe('85%');
		expect(formatPercent(0.999, 'nl', 1)).toBe(`99,9${sp}%`);
	});

	test('Dutch matches what the screen tests look for; English has no space', () => {
		expect(formatPercent(0.1234, 'nl')).toMatch(/^\d+,\d\s?%$/);
		expect(formatPercent(0.1234, 'en')).toMatch(/^\d+\.\d%$/);
	});

	test.each([null, undefined, Number.NaN, Number.POSITIVE_INFINITY])('%s is a dash', (v) => {
		expect(formatPercent(v, 'nl')).toBe(NO_VALUE);
	});
});

describe('formatMinutes', () => {
	test.each([
		['en', 4.5 * 60_000, '4.5 mins'],
		['nl', 4.5 * 60_000, '4,5 min'],
		['en', 0, '0 mins'],
		['en', 3_000, '0.1 mins'],
		['en', 9 * 60_000 + 57_000, '10.0 mins'],
		['en', 10 * 60_000, '10 mins'],
		['nl', 37.4 * 60_000, '37 min'],
		['nl', 125 * 60_000, '125 min'],
		['en', -3_000, '0 mins']
	] as const)('%s %s ms → %s', (lang, ms, expected) => {
		expect(plain(formatMinutes(ms, lang))).toBe(expected);
	});

	test('no duration is a dash', () => {
		expect(formatMinutes(null, 'en')).toBe(NO_VALUE);
		expect(formatMinutes(Number.NaN, 'nl')).toBe(NO_VALUE);
	});
});

describe('clock times in the plant time zone', () => {
	const zone = 'Europe/Amsterdam';
	// Tuesday 24 November 2026, 05:00 UTC = 06:00 in Amsterdam (winter time).
	const t = Date.UTC(2026, 10, 24, 5, 0);

	test('24-hour time, whatever zone the device is in', () => {
		expect(formatClock(t, 'nl', zone)).toBe('06:00');
		expect(formatClock(t, 'en', zone)).toBe('06:00');
		expect(formatClock(t, 'en', 'UTC')).toBe('05:00');
		// Summer time: 1 July 12:30 UTC is 14:30 in Amsterdam.
		expect(formatClock(Date.UTC(2026, 6, 1, 12, 30), 'nl', zone)).toBe('14:30');
	});

	test('weekday', () => {
		expect(formatWeekday(t, 'en', zone)).toBe('Tue');
		expect(formatWeekday(t, 'nl', zone)).toBe('di');
		// 23:30 UTC on Monday is already Tuesday in Amsterdam.
		expect(formatWeekday(Date.UTC(2026, 10, 23, 23, 30), 'en', zone)).toBe('Tue');
	});

	test('a finish time today is the time alone; another day adds the weekday', () => {
		const now = Date.UTC(2026, 10, 24, 10, 0);
		expect(formatDayTime(Date.UTC(2026, 10, 24, 16, 42), 'en', zone, now)).toBe('17:42');
		expect(formatDayTime(Date.UTC(2026, 10, 25, 2, 15), 'en', zone, now)).toBe('Wed 03:15');
		expect(formatDayTime(Date.UTC(2026, 10, 25, 2, 15), 'nl', zone, now)).toBe('wo 03:15');
		// 23:30 UTC is after midnight in Amsterdam: the next day there.
		expect(formatDayTime(Date.UTC(2026, 10, 24, 23, 30), 'en', zone, now)).toBe('Wed 00:30');
	});

	test('an unknown zone falls back to the device; no time is a dash', () => {
		expect(formatClock(t, 'en', 'Nowhere/Null')).toMatch(/^\d\d:\d\d$/);
		expect(formatClock(null, 'en', zone)).toBe(NO_VALUE);
		expect(formatDayTime(undefined, 'nl', zone, t)).toBe(NO_VALUE);
	});
});
