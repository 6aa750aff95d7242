import { describe, expect, test } from 'vitest';
import type { ShiftKpi } from '$lib/shared/kpi';
import type { PlantView } from '$lib/shared/plant-view';
import { asOrderKpi, asShiftKpi, downtimePareto, kpiPath, lossBuckets, rejectsOf, selectedLine, shiftHistory, shiftLabel } from './kpi';

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 24, 5, 0);

function shift(i: number, extra: Partial<ShiftKpi> = {}): ShiftKpi {
	const start = T0 + i * 8 * H;
	return {
		key: `k${i}`,
		shiftId: ['early', 'late', 'night'][((i % 3) + 3) % 3],
		start,
		end: start + 8 * H,
		availability: 0.9,
		performance: 0.8,
		quality: 0.99,
		oee: 0.9 * 0.8 * 0.99,
		capped: [],
		total: 1000,
		good: 990,
		productionRejects: 7,
		startupRejects: 3,
		plannedProductionMs: 7 * H,
		runTimeMs: 6 * H,
		runMs: 5.5 * H,
		smallStopMs: 0.5 * H,
		smallStops: 12,
		unplannedStopMs: H,
		plannedStopMs: 0.25 * H,
		breakMs: 0.75 * H,
		slowCycleMs: 0.2 * H,
		unplannedByReason: {},
		plannedByReason: {},
		idealCycleMs: 100,
		...extra
	};
}

describe('asShiftKpi', () => {
	test('keeps a well-formed value', () => {
		expect(asShiftKpi(shift(0))).toEqual(shift(0));
	});

	test('fills what is missing and drops what is wrong', () => {
		const k = asShiftKpi({ key: '2026-11-24/early', start: 1, end: 2, oee: 'x', capped: ['performance', 'speed'], unplannedByReason: { 201: 5, 202: 'x' } });
		expect(k).toMatchObject({
			shiftId: 'early',
			oee: null,
			availability: null,
			total: 0,
			capped: ['performance'],
			unplannedByReason: { '201': 5 },
			plannedByReason: {}
		});
	});

	test.each([null, 3, 'x', [], { key: 'a' }, { key: 'a', start: 1 }])('%j is not a shift', (v) => {
		expect(asShiftKpi(v)).toBeNull();
	});
});

describe('asOrderKpi', () => {
	test('keeps a well-formed order; works out progress when missing', () => {
		expect(asOrderKpi({ number: 'WO-1', product: 'Water', target: 200, good: 50, ratePerMin: 12.5, estimatedFinish: null, startedAt: 5 })).toEqual({
			number: 'WO-1',
			product: 'Water',
			target: 200,
			good: 50,
			progress: 0.25,
			ratePerMin: 12.5,
			estimatedFinish: null,
			startedAt: 5
		});
	});
	test.each([null, {}, { number: 1, target: 1, good: 1 }, { number: 'WO', target: '5', good: 1 }])('%j is not an order', (v) => {
		expect(asOrderKpi(v)).toBeNull();
	});
	test('a target of 0 is no progress, not a division by zero', () => {
		expect(asOrderKpi({ number: 'WO', target: 0, good: 4 })?.progress).toBe(0);
	});
});

test('rejects are total minus good, never negative', () => {
	expect(rejectsOf({ total: 100, good: 93 })).toBe(7);
	expect(rejectsOf({ total: 5, good: 9 })).toBe(0);
});

test('KPI tag paths', () => {
	expect(kpiPath.shift('acme/a/b/line1')).toBe('acme/a/b/line1/_kpi/shift');
	expect(kpiPath.order('acme/a/b/line1')).toBe('acme/a/b/line1/_kpi/order');
});

describe('downtimePareto', () => {
	test('longest first, unplanned before planned on a tie, then by code; bars relative to the longest', () => {
		const p = downtimePareto({ unplannedByReason: { '201': 60_000, '202': 240_000, '0': 0, '205': 60_000 }, plannedByReason: { '302': 120_000, '201': 60_000 } });
		expect(p.entries.map((e) => [e.code, e.kind, e.ms, e.share])).toEqual([
			[202, 'unplanned', 240_000, 1],
			[302, 'planned', 120_000, 0.5],
			[201, 'unplanned', 60_000, 0.25],
			[205, 'unplanned', 60_000, 0.25],
			[201, 'planned', 60_000, 0.25]
		]);
		expect(p.totalMs).toBe(540_000);
		expect(p.rest).toEqual({ count: 0, ms: 0 });
	});

	test('a limit lists the longest and sums the rest', () => {
		const p = downtimePareto({ unplannedByReason: { '1': 10, '2': 30, '3': 20, '4': 5 }, plannedByReason: {} }, 2);
		expect(p.entries.map((e) => e.code)).toEqual([2, 3]);
		expect(p.rest).toEqual({ count: 2, ms: 15 });
		expect(p.totalMs).toBe(65);
	});

	test('no downtime is an empty Pareto; junk keys and values are skipped', () => {
		expect(downtimePareto({ unplannedByReason: {}, plannedByReason: {} })).toEqual({ entries: [], rest: { count: 0, ms: 0 }, totalMs: 0 });
		expect(downtimePareto({ unplannedByReason: { x: 5, '7': Number.NaN, '8': -1 }, plannedByReason: {} }).entries).toEqual([]);
	});
});

test('loss buckets in the order of the factors they lower, with times and counts', () => {
	expect(lossBuckets(shift(0))).toEqual([
		{ id: 'unplanned', ms: H, count: null },
		{ id: 'planned', ms: 0.25 * H, count: null },
		{ id: 'smallStops', ms: 0.5 * H, count: 12 },
		{ id: 'slowCycles', ms: 0.2 * H, count: null },
		{ id: 'productionRejects', ms: null, count: 7 },
		{ id: 'startupRejects', ms: null, count: 3 }
	]);
});

describe('shiftHistory', () => {
	const history = [8, 7, 6, 5, 4, 3, 2, 1, 0].map((i) => shift(i)); // newest first, as the API sends it

	test('oldest first, the current shift last and marked', () => {
		const bars = shiftHistory({ current: shift(9, { oee: 0.5 }), history }, null);
		expect(bars.map((b) => b.key)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9']);
		expect(bars.filter((b) => b.current).map((b) => b.key)).toEqual(['k9']);
		expect(bars[9].oee).toBe(0.5);
	});

	test('the live shift replaces what the API said about it', () => {
		const bars = shiftHistory({ current: shift(9, { oee: 0.5 }), history }, shift(9, { oee: 0.6 }));
		expect(bars).toHaveLength(10);
		expect(bars[9]).toMatchObject({ key: 'k9', oee: 0.6, current: true });
	});

	test('after a shift change the loaded "current" becomes an earlier shift and the oldest drops out', () => {
		const bars = shiftHistory({ current: shift(9), history }, shift(10, { oee: 0.1 }));
		expect(bars.map((b) => b.key)).toEqual(['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9', 'k10']);
		expect(bars.map((b) => b.current)).toEqual([false, false, false, false, false, false, false, false, false, true]);
	});

	test('fewer shifts than asked for; nothing at all', () => {
		expect(shiftHistory({ current: shift(0), history: [] }, null).map((b) => b.key)).toEqual(['k0']);
		expect(shiftHistory(undefined, null)).toEqual([]);
		expect(shiftHistory(undefined, shift(3)).map((b) => [b.key, b.current])).toEqual([['k3', true]]);
	});

	test('without a current shift (between shifts) the last `count` earlier ones', () => {
		expect(shiftHistory({ current: null, history }, null, 3).map((b) => b.key)).toEqual(['k6', 'k7', 'k8']);
	});

	test('count limits the earlier shifts; malformed rows are skipped', () => {
		const bars = shiftHistory({ current: shift(9), history: [...history, { nope: true } as unknown as ShiftKpi] }, null, 2);
		expect(bars.map((b) => b.key)).toEqual(['k7', 'k8', 'k9']);
	});
});

const plant = {
	shifts: [
		{ id: 'early', label: { en: 'Early', nl: 'Vroeg' }, start: '06:00', end: '14:00' },
		{ id: 'late', label: { en: 'Late', nl: '' }, start: '14:00', end: '22:00' }
	],
	lines: [{ id: 'line1' }, { id: 'line2' }]
} as unknown as PlantView;

test('shift labels in the user language, English or the id as fallback', () => {
	expect(shiftLabel(plant, 'early', 'nl')).toBe('Vroeg');
	expect(shiftLabel(plant, 'late', 'nl')).toBe('Late');
	expect(shiftLabel(plant, 'night', 'en')).toBe('night');
});

test('the ?line= parameter names a line or nothing', () => {
	expect(selectedLine(plant, 'line2')?.id).toBe('line2');
	expect(selectedLine(plant, 'line9')).toBeNull();
	expect(selectedLine(plant, null)).toBeNull();
	expect(selectedLine(plant, '')).toBeNull();
});
