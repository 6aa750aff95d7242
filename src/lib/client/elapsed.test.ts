import { describe, expect, test } from 'vitest';
import { formatElapsed } from './elapsed';
import { NO_VALUE } from '$lib/format';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('formatElapsed', () => {
	// Intl separates number and unit with a (no-break) space; compare with plain spaces.
	const plain = (s: string) => s.replace(/\s/g, ' ');
	test.each([
		['en', 45 * S, '45 secs'],
		['en', 12 * M + 59 * S, '12 mins'],
		['en', 3 * H + 12 * M, '3 hrs 12 mins'],
		['en', 1 * H, '1 hr'],
		['en', 2 * D + 5 * H, '2 days 5 hrs'],
		['nl', 45 * S, '45 sec'],
		['nl', 3 * H + 12 * M, '3 uur 12 min'],
		['nl', 2 * D, '2 dagen']
	] as const)('%s %s ms → %s', (lang, ms, expected) => {
		expect(plain(formatElapsed(ms, lang))).toBe(expected);
	});
	test('clock skew counts as nothing; no time is a dash', () => {
		expect(plain(formatElapsed(-5000, 'en'))).toBe('0 secs');
		expect(formatElapsed(null, 'en')).toBe(NO_VALUE);
		expect(formatElapsed(Number.NaN, 'nl')).toBe(NO_VALUE);
	});
});
