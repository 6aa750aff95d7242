import { describe, expect, test } from 'vitest';
import type { TagView } from '$lib/shared/plant-view';
import { BAR_PAD, limitBar, valueLimit } from './value-limits';

/** The filler's product temperature in the demo plant: band 4–10 °C, L 4, H 10, HH 12. */
const temperature: Pick<TagView, 'range' | 'limits'> = { range: [4, 10], limits: { l: 4, h: 10, hh: 12 } };
/** CO₂ pressure: every level. */
const pressure: Pick<TagView, 'range' | 'limits'> = { range: [2.5, 4], limits: { ll: 2.2, l: 2.5, h: 4, hh: 4.4 } };

describe('valueLimit', () => {
	test.each([
		[7, null],
		[10.5, 'high'],
		[11.99, 'high'],
		[12, 'hh'],
		[14, 'hh'],
		[3.9, 'low']
	] as const)('temperature %s °C → %s', (value, expected) => {
		expect(valueLimit(temperature, value)).toBe(expected);
	});

	test.each([
		[3, null],
		[4.2, 'high'],
		[4.4, 'hh'],
		[2.4, 'low'],
		[2.2, 'll'],
		[1, 'll']
	] as const)('pressure %s bar → %s', (value, expected) => {
		expect(valueLimit(pressure, value)).toBe(expected);
	});

	test('an H limit inside the band flags high as the alarm engine would (value ≥ limit)', () => {
		expect(valueLimit({ range: [0, 10], limits: { h: 8 } }, 8)).toBe('high');
	});

	test('a band without limits: high and low only, never hh/ll', () => {
		expect(valueLimit({ range: [90, 140] }, 1000)).toBe('high');
		expect(valueLimit({ range: [90, 140] }, 0)).toBe('low');
	});

	test('no value, or nothing to compare with: no flag', () => {
		expect(valueLimit(temperature, null)).toBeNull();
		expect(valueLimit(temperature, Number.NaN)).toBeNull();
		expect(valueLimit({}, 1e9)).toBeNull();
	});
});

describe('limitBar', () => {
	test('spans every limit plus the padding, with band, marks and value in percent', () => {
		const bar = limitBar(pressure, 3.3);
		const span = 4.4 - 2.2;
		expect(bar?.min).toBeCloseTo(2.2 - span * BAR_PAD);
		expect(bar?.max).toBeCloseTo(4.4 + span * BAR_PAD);
		const pct = (v: number) => ((v - bar!.min) / (bar!.max - bar!.min)) * 100;
		expect(bar?.band?.from).toBeCloseTo(pct(2.5));
		expect(bar?.band?.to).toBeCloseTo(pct(4));
		expect(bar?.marks.map((m) => m.level)).toEqual(['ll', 'l', 'h', 'hh']);
		expect(bar?.marks[3].at).toBeCloseTo(pct(4.4));
		expect(bar?.at).toBeCloseTo(50);
		expect(bar?.clamped).toBe(false);
	});

	test('the marks sit inside the bar, not on its ends', () => {
		const bar = limitBar(pressure, null)!;
		for (const m of bar.marks) {
			expect(m.at).toBeGreaterThan(5);
			expect(m.at).toBeLessThan(95);
		}
		expect(bar.at).toBeNull();
	});

	test('a value beyond the bar is pinned to its end and says so', () => {
		const bar = limitBar(temperature, 40)!;
		expect(bar.at).toBe(100);
		expect(bar.clamped).toBe(true);
	});

	test('a band without limits still gets a bar; nothing at all gets none', () => {
		expect(limitBar({ range: [90, 140] }, 115)?.marks).toEqual([]);
		expect(limitBar({}, 1)).toBeNull();
	});
});
