import { describe, expect, test } from 'vitest';
import { counterDelta } from './counters';
import { oeeFigures } from './figures';

const MIN = 60_000;

describe('oeeFigures: worked examples', () => {
	test.each([
		[
			'480 min shift, 60 min breaks, 47 min down, ideal 1.0 s, 19,271 made, 423 rejected',
			{ plannedProductionMs: 420 * MIN, runMs: (420 - 47) * MIN, totalCount: 19_271, goodCount: 19_271 - 423, idealCycleMs: 1000 },
			{ availability: 0.888095, performance: 0.861081, quality: 0.97805, oee: 0.747937 }
		],
		[
			'planned 480 min, run 420 min, ideal 60 s, 400 made, 380 good',
			{ plannedProductionMs: 480 * MIN, runMs: 420 * MIN, totalCount: 400, goodCount: 380, idealCycleMs: 60_000 },
			{ availability: 0.875, performance: 0.952381, quality: 0.95, oee: 0.791667 }
		]
	])('%s', (_name, inputs, expected) => {
		const figures = oeeFigures(inputs);
		for (const key of ['availability', 'performance', 'quality', 'oee'] as const) {
			expect(Math.abs(figures[key]! - expected[key]), key).toBeLessThan(1e-6);
		}
		expect(figures.capped).toEqual([]);
	});

	test('a factor above 100% is capped and flagged (the ideal cycle time is wrong)', () => {
		const figures = oeeFigures({ plannedProductionMs: 60 * MIN, runMs: 60 * MIN, totalCount: 4000, goodCount: 4000, idealCycleMs: 1000 });
		expect(figures).toEqual({ availability: 1, performance: 1, quality: 1, oee: 1, capped: ['performance'] });
	});

	test('nothing planned or made yet gives no figures rather than 0 or NaN', () => {
		expect(oeeFigures({ plannedProductionMs: 0, runMs: 0, totalCount: 0, goodCount: 0, idealCycleMs: 1000 })).toEqual({
			availability: null,
			performance: null,
			quality: null,
			oee: null,
			capped: []
		});
	});
});

describe('counterDelta', () => {
	test.each([
		['counts up', 100, 160, 1000, 60, 'count'],
		['stands still', 100, 100, 1000, 0, 'count'],
		['PLC restarted the counter', 50_000, 30, 1000, 30, 'reset'],
		['32-bit wrap', 2 ** 32 - 10, 5, 1000, 15, 'wrap'],
		['implausible jump forward is ignored', 100, 900_000, 1000, 0, 'jump'],
		['backwards to a large value is ignored, not counted', 900_000, 500_000, 1000, 0, 'jump']
	])('%s', (_name, previous, current, maxPlausible, delta, change) => {
		expect(counterDelta(previous, current, maxPlausible)).toEqual({ delta, change });
	});
});
