import { describe, expect, test } from 'vitest';
import { formatCount, formatDate, formatNumber, formatQuantity, NO_VALUE, UNIT_SPACE } from './format';

const sp = UNIT_SPACE;

describe('formatQuantity', () => {
	test.each([
		['nl', 12.5, 1, '°C', `12,5${sp}°C`],
		['en', 12.5, 1, '°C', `12.5${sp}°C`],
		['nl', 3.456, 2, 'bar', `3,46${sp}bar`],
		['en', 3.4, 2, 'bar', `3.40${sp}bar`],
		['nl', 1234.5, 1, 'l/min', `1.234,5${sp}l/min`],
		['en', 1234.5, 1, 'l/min', `1,234.5${sp}l/min`],
		['nl', 420, 0, '/min', `420${sp}/min`],
		['nl', -0.01, 1, '°C', `0,0${sp}°C`],
		['en', 7, undefined, undefined, '7']
	] as const)('%s %s (%s decimals, %s)', (lang, value, decimals, unit, expected) => {
		expect(formatQuantity(value, lang, decimals, unit)).toBe(expected);
	});

	test('a missing or non-finite value is a dash, without unit', () => {
		expect(formatQuantity(null, 'nl', 1, '°C')).toBe(NO_VALUE);
		expect(formatQuantity(Number.NaN, 'en', 1, '°C')).toBe(NO_VALUE);
		expect(formatQuantity(undefined, 'en')).toBe(NO_VALUE);
	});
});

describe('formatCount', () => {
	test.each([
		['nl', 12345, '12.345'],
		['en', 12345, '12,345'],
		['nl', 1234567, '1.234.567'],
		['en', 999, '999'],
		['en', 12.6, '13']
	] as const)('%s %s → %s', (lang, value, expected) => {
		expect(formatCount(value, lang)).toBe(expected);
	});
});

describe('formatNumber', () => {
	test('without fixed decimals shows up to three', () => {
		expect(formatNumber(2.5, 'nl')).toBe('2,5');
		expect(formatNumber(1 / 3, 'en')).toBe('0.333');
	});
	test('formatters are reused (same output on repeated calls)', () => {
		expect(formatNumber(1.25, 'nl', 1)).toBe(formatNumber(1.25, 'nl', 1));
	});
});

describe('formatDate', () => {
	const t = Date.UTC(2026, 10, 24, 13, 5, 9);
	test('24-hour clock in both languages', () => {
		const local = new Date(t); // the test runs in whatever time zone the machine has
		const hh = String(local.getHours()).padStart(2, '0');
		expect(formatDate(t, 'nl', 'time')).toBe(`${hh}:05:09`);
		expect(formatDate(t, 'en', 'time')).toBe(`${hh}:05:09`);
	});
	test('day before month in both languages', () => {
		expect(formatDate(t, 'nl', 'datetime')).toMatch(/^24-11-2026/);
		expect(formatDate(t, 'en', 'datetime')).toMatch(/^24\/11\/2026/);
	});
	test('no time is a dash', () => {
		expect(formatDate(null, 'en')).toBe(NO_VALUE);
	});
});
