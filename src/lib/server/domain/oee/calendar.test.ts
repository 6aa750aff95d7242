import { DateTime } from 'luxon';
import { describe, expect, test } from 'vitest';
import { ShiftCalendar } from './calendar';

const shifts = [
	{ id: 'early', label: { en: 'Early', nl: 'Vroeg' }, start: '06:00', end: '14:00', breaks: [{ start: '11:45', end: '12:15' }] },
	{ id: 'late', label: { en: 'Late', nl: 'Laat' }, start: '14:00', end: '22:00', breaks: [] },
	{ id: 'night', label: { en: 'Night', nl: 'Nacht' }, start: '22:00', end: '06:00', breaks: [{ start: '01:30', end: '02:00' }] }
];
const cal = new ShiftCalendar(shifts, 'Europe/Amsterdam');
const at = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Amsterdam' }).toMillis();
const H = 3600_000;

describe('ShiftCalendar', () => {
	test.each([
		['2026-11-24T06:00', '2026-11-24/early'],
		['2026-11-24T13:59:59', '2026-11-24/early'],
		['2026-11-24T14:00', '2026-11-24/late'],
		['2026-11-24T23:30', '2026-11-24/night'],
		['2026-11-25T05:59', '2026-11-24/night'],
		['2026-11-25T00:00', '2026-11-24/night']
	])('%s is in %s', (time, key) => {
		expect(cal.shiftAt(at(time))?.key).toBe(key);
	});

	test('a night break after midnight belongs to the night shift, on the next day', () => {
		const night = cal.shiftAt(at('2026-11-24T23:00'))!;
		expect(night.breaks).toEqual([[at('2026-11-25T01:30'), at('2026-11-25T02:00')]]);
		expect(cal.inBreak(night, at('2026-11-25T01:45'))).toBe(true);
		expect(ShiftCalendar.scheduledMs(night)).toBe(7.5 * H);
	});

	test('across daylight saving time the night shift has 7 or 9 hours, as on the wall clock', () => {
		expect(cal.shiftAt(at('2026-03-28T23:00'))!.end - cal.shiftAt(at('2026-03-28T23:00'))!.start).toBe(7 * H);
		expect(cal.shiftAt(at('2026-10-24T23:00'))!.end - cal.shiftAt(at('2026-10-24T23:00'))!.start).toBe(9 * H);
	});

	test('a gap in the calendar has no shift', () => {
		const dayOnly = new ShiftCalendar([shifts[0]], 'Europe/Amsterdam');
		expect(dayOnly.shiftAt(at('2026-11-24T15:00'))).toBeNull();
		expect(dayOnly.nextShiftAfter(at('2026-11-24T15:00')).key).toBe('2026-11-25/early');
	});

	test('boundaries between two moments: shift changes and breaks, in order', () => {
		expect(cal.boundariesBetween(at('2026-11-24T11:00'), at('2026-11-24T14:30'))).toEqual([
			at('2026-11-24T11:45'),
			at('2026-11-24T12:15'),
			at('2026-11-24T14:00')
		]);
	});

	test('previous shifts, newest first', () => {
		expect(cal.previousShifts(at('2026-11-24T15:00'), 4).map((s) => s.key)).toEqual([
			'2026-11-24/early',
			'2026-11-23/night',
			'2026-11-23/late',
			'2026-11-23/early'
		]);
	});
});
