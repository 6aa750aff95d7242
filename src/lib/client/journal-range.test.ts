import { describe, expect, test } from 'vitest';
import { fromLocalInput, parseJournalSearch, shiftStart, toLocalInput } from './journal-range';

// Times are built from local calendar fields, so the tests hold in any time zone the machine has.
const local = (y: number, mo: number, d: number, h: number, mi = 0) => new Date(y, mo - 1, d, h, mi).getTime();
const HOUR = 3_600_000;

describe('shiftStart', () => {
	test.each([
		['early shift', local(2026, 11, 24, 9, 30), local(2026, 11, 24, 6)],
		['right at a change', local(2026, 11, 24, 14), local(2026, 11, 24, 14)],
		['late shift', local(2026, 11, 24, 21, 59), local(2026, 11, 24, 14)],
		['night shift before midnight', local(2026, 11, 24, 23), local(2026, 11, 24, 22)],
		['night shift after midnight', local(2026, 11, 25, 3), local(2026, 11, 24, 22)],
		['night shift over the new year', local(2027, 1, 1, 1), local(2026, 12, 31, 22)]
	])('%s', (_name, now, expected) => {
		expect(shiftStart(now)).toBe(expected);
	});
	test('the plant shift plan, with minutes; malformed times skipped', () => {
		const plan = ['05:30', '17:30', 'late'];
		expect(shiftStart(local(2026, 11, 24, 5, 29), plan)).toBe(local(2026, 11, 23, 17, 30));
		expect(shiftStart(local(2026, 11, 24, 12), plan)).toBe(local(2026, 11, 24, 5, 30));
	});
	test('no usable plan: the last 8 hours', () => {
		expect(shiftStart(local(2026, 11, 24, 12), [])).toBe(local(2026, 11, 24, 4));
	});
});

describe('parseJournalSearch', () => {
	const now = local(2026, 11, 24, 10);
	const parse = (q: string) => parseJournalSearch(new URLSearchParams(q), now);

	test('defaults to the last 24 hours without filters', () => {
		expect(parse('')).toEqual({ range: '24h', from: now - 24 * HOUR, to: now, alarm: '', user: '', state: '' });
	});
	test.each([
		['1h', now - HOUR],
		['24h', now - 24 * HOUR],
		['7d', now - 7 * 24 * HOUR],
		['shift', local(2026, 11, 24, 6)]
	])('preset %s', (range, from) => {
		expect(parse(`range=${range}`)).toMatchObject({ range, from, to: now });
	});
	test('this shift follows the plant plan', () => {
		expect(parseJournalSearch(new URLSearchParams('range=shift'), now, ['07:00', '19:00']).from).toBe(local(2026, 11, 24, 7));
	});
	test('custom: epoch ms or datetime-local values, swapped when reversed', () => {
		expect(parse('range=custom&from=1000&to=5000')).toMatchObject({ range: 'custom', from: 1000, to: 5000 });
		expect(parse('range=custom&from=2026-11-23T06:00&to=2026-11-23T14:30')).toMatchObject({
			from: local(2026, 11, 23, 6),
			to: local(2026, 11, 23, 14, 30)
		});
		expect(parse('range=custom&from=5000&to=1000')).toMatchObject({ from: 1000, to: 5000 });
	});
	test('custom without times starts as the last 24 hours', () => {
		expect(parse('range=custom')).toMatchObject({ range: 'custom', from: now - 24 * HOUR, to: now });
	});
	test('filters are kept, unknown values dropped', () => {
		expect(parse('range=bogus&alarm=%20a/_alarms/b%20&user=maintenance&state=ack_active')).toMatchObject({
			range: '24h',
			alarm: 'a/_alarms/b',
			user: 'maintenance',
			state: 'ack_active'
		});
		expect(parse('state=nope').state).toBe('');
	});
});

describe('datetime-local values', () => {
	test('round trip to the minute', () => {
		const t = local(2026, 3, 29, 2, 45);
		expect(fromLocalInput(toLocalInput(t))).toBe(t);
		expect(toLocalInput(local(2026, 1, 5, 7, 3))).toBe('2026-01-05T07:03');
	});
	test.each(['', 'yesterday', '2026-01-05', '2026-01-05 07:03'])('%j is not a time', (v) => {
		expect(fromLocalInput(v)).toBeNull();
	});
});
