import { describe, expect, test } from 'vitest';
import { decimalsForStep, formatMoment, formatPeriod, formatTimeTicks, groupByUnit } from './trend-axes';

describe('groupByUnit', () => {
	test('pens with the same unit share an axis; the band only on a single-pen axis', () => {
		const groups = groupByUnit([
			{ unit: '°C', range: [4, 10] },
			{ unit: 'bar', range: [2.5, 4] },
			{ unit: '°C', range: [150, 175] },
			{},
			{ unit: '%' }
		]);
		expect(groups).toEqual([
			{ scale: 'y:°C', unit: '°C', pens: [0, 2] },
			{ scale: 'y:bar', unit: 'bar', pens: [1], band: [2.5, 4] },
			{ scale: 'y:', unit: '', pens: [3] },
			{ scale: 'y:%', unit: '%', pens: [4] }
		]);
	});
	test('no pens, no axes', () => {
		expect(groupByUnit([])).toEqual([]);
	});
});

test.each([
	[100, 0],
	[1, 0],
	[0.5, 1],
	[0.2, 1],
	[0.1, 1],
	[0.05, 2],
	[0.01, 2],
	[1e-9, 6],
	[0, 0],
	[Number.NaN, 0]
])('decimalsForStep(%s) = %s', (step, d) => {
	expect(decimalsForStep(step)).toBe(d);
});

describe('time labels (local time of the test machine)', () => {
	const t = (iso: string) => new Date(iso).getTime();
	test('a day or more: the date, Dutch or English', () => {
		const ticks = [t('2026-11-24T12:00'), t('2026-11-25T12:00')];
		expect(formatTimeTicks(ticks, 86_400_000, 'nl')).toEqual(['24 nov', '25 nov']);
		expect(formatTimeTicks(ticks, 86_400_000, 'en')).toEqual(['24 Nov', '25 Nov']);
	});
	test('hours: time, with the date at the first tick and where the day changes', () => {
		const ticks = [t('2026-11-24T22:00'), t('2026-11-24T23:00'), t('2026-11-25T00:00'), t('2026-11-25T01:00')];
		expect(formatTimeTicks(ticks, 3_600_000, 'nl')).toEqual(['22:00\n24 nov', '23:00', '00:00\n25 nov', '01:00']);
	});
	test('seconds under a minute', () => {
		expect(formatTimeTicks([t('2026-11-24T09:05:10'), t('2026-11-24T09:05:20')], 10_000, 'en')).toEqual(['09:05:10\n24 Nov', '09:05:20']);
	});
	test('a moment and a period', () => {
		expect(formatMoment(t('2026-03-05T14:03:05'), 'nl')).toBe('5 mrt 14:03:05');
		expect(formatPeriod(t('2026-11-24T13:03'), t('2026-11-24T14:03'), 'nl')).toBe('24 nov 13:03 – 14:03');
		expect(formatPeriod(t('2026-11-24T13:03'), t('2026-11-25T14:03'), 'en')).toBe('24 Nov 13:03 – 25 Nov 14:03');
	});
});
