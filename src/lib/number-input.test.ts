import { describe, expect, test } from 'vitest';
import { formatForInput, parseLocaleNumber, separatorsOf } from './number-input';

describe('separatorsOf', () => {
	test('Dutch writes a decimal comma and groups with a point; English the other way round', () => {
		expect(separatorsOf('nl')).toEqual({ decimal: ',', group: '.' });
		expect(separatorsOf('en')).toEqual({ decimal: '.', group: ',' });
	});
});

describe('parseLocaleNumber', () => {
	test.each([
		['nl', '7,5', 7.5],
		['nl', ' 7,5 ', 7.5],
		['nl', '7.5', 7.5], // a point followed by one digit cannot be grouping
		['nl', '12.50', 12.5],
		['nl', '1,234', 1.234], // the comma is Dutch for decimals
		['nl', '0.500', 0.5],
		['nl', '1234.5', 1234.5],
		['nl', '-2,5', -2.5],
		['nl', '\u22122,5', -2.5],
		['nl', ',5', 0.5],
		['nl', '400', 400],
		['nl', '400,', 400],
		['en', '7.5', 7.5],
		['en', '1.234', 1.234],
		['en', '7,5', 7.5],
		['en', '+3', 3],
		['en', '0', 0]
	] as const)('%s %j → %s', (lang, text, value) => {
		expect(parseLocaleNumber(text, lang)).toEqual({ ok: true, value });
	});

	test.each([
		['nl', '1.234', [1.234, 1234]],
		['nl', '-1.500', [-1.5, -1500]],
		['en', '1,234', [1.234, 1234]],
		['en', '12,500', [12.5, 12500]]
	] as const)('%s %j could be a thousands separator: refused, naming both readings', (lang, text, readings) => {
		expect(parseLocaleNumber(text, lang)).toEqual({ ok: false, problem: 'ambiguous', readings });
	});

	test.each([
		['nl', '1.234,5', 'grouped'],
		['en', '1,234.5', 'grouped'],
		['nl', '1 234', 'grouped'],
		['nl', '1.2.3', 'grouped'],
		['nl', '', 'empty'],
		['en', '   ', 'empty'],
		['nl', 'abc', 'nan'],
		['en', '1e3', 'nan'],
		['en', '-', 'nan'],
		['en', '.', 'nan'],
		['nl', '7,5 °C', 'nan'],
		['en', '0x10', 'nan']
	] as const)('%s %j is refused (%s)', (lang, text, problem) => {
		expect(parseLocaleNumber(text, lang)).toEqual({ ok: false, problem });
	});
});

describe('formatForInput', () => {
	test.each([
		['nl', 6.5, 1, '6,5'],
		['en', 6.5, 1, '6.5'],
		['nl', 1500, 0, '1500'], // never grouped: `1.500` would read back as ambiguous
		['en', 1500.25, 2, '1500.25'],
		['nl', 420, undefined, '420'],
		['nl', -2.5, 1, '-2,5'],
		['en', 0.125, undefined, '0.125']
	] as const)('%s %s (%s decimals) → %j', (lang, value, decimals, text) => {
		expect(formatForInput(value, lang, decimals)).toBe(text);
	});

	test('nothing to show is an empty field', () => {
		expect(formatForInput(null, 'nl')).toBe('');
		expect(formatForInput(Number.NaN, 'en', 1)).toBe('');
	});

	test.each(['nl', 'en'] as const)('what is shown reads back as the same number (%s)', (lang) => {
		for (const v of [0, 7.5, 6.5, 420, 1234.5, 1500, -2.5, 0.125]) {
			expect(parseLocaleNumber(formatForInput(v, lang), lang)).toEqual({ ok: true, value: v });
		}
	});
});
