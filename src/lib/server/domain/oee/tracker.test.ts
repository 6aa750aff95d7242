import { DateTime } from 'luxon';
import { describe, expect, test } from 'vitest';
import { advance, createPlant, readTags } from '../../../../../plc-sim/model/simulation';
import { ShiftCalendar } from './calendar';
import { MachineOeeTracker, type TrackerSettings } from './tracker';

const ZONE = 'Europe/Amsterdam';
const at = (hhmm: string, day = '2026-11-24') => DateTime.fromISO(`${day}T${hhmm}`, { zone: ZONE }).toMillis();
const MIN = 60_000;
const label = { en: 'x', nl: 'x' };
/** Early shift 06–14 with 60 minutes of breaks (480 scheduled, 420 planned production at most). */
const calendar = new ShiftCalendar(
	[
		{ id: 'early', label, start: '06:00', end: '14:00', breaks: [{ start: '09:30', end: '10:00' }, { start: '12:00', end: '12:30' }] },
		{ id: 'late', label, start: '14:00', end: '22:00', breaks: [] },
		{ id: 'night', label, start: '22:00', end: '06:00', breaks: [] }
	],
	ZONE
);
const settings: TrackerSettings = {
	idealCycleMs: 1000,
	smallStopMs: 2 * MIN,
	startupMs: 5 * MIN,
	runningStates: new Set(['running']),
	plannedReasons: new Set([301, 302, 303]),
	changeoverAs: 'availability_loss'
};
const EARLY = '2026-11-24/early';

describe('MachineOeeTracker', () => {
	test('worked example from raw events: 47 min fault, 19,271 made, 423 rejected → OEE 0.747937', () => {
		const tracker = new MachineOeeTracker(calendar, settings);
		// The shift as an event stream: state changes, and a counter reading after every running minute.
		const events: [number, () => void][] = [
			[at('06:00'), () => tracker.onState(at('06:00'), 'running', 0)],
			[at('06:00'), () => tracker.onCounters(at('06:00'), 0, 0)],
			[at('07:00'), () => tracker.onState(at('07:00'), 'fault', 201)],
			[at('07:47'), () => tracker.onState(at('07:47'), 'running', 0)]
		];
		const runningMinutes: number[] = [];
		for (let t = at('06:00'); t < at('14:00'); t += MIN) {
			const inBreak = (t >= at('09:30') && t < at('10:00')) || (t >= at('12:00') && t < at('12:30'));
			const inFault = t >= at('07:00') && t < at('07:47');
			if (!inBreak && !inFault) runningMinutes.push(t);
		}
		expect(runningMinutes).toHaveLength(373);
		runningMinutes.forEach((t, i) => {
			const total = Math.round((19_271 * (i + 1)) / 373);
			const rejects = Math.round((423 * (i + 1)) / 373);
			events.push([t + MIN, () => tracker.onCounters(t + MIN, total, total - rejects)]);
		});
		for (const [, fire] of events.sort((a, b) => a[0] - b[0])) fire();
		tracker.advance(at('14:00'));
		const r = tracker.report(EARLY)!;
		expect(r).toMatchObject({ total: 19_271, good: 18_848, runTimeMs: 373 * MIN, plannedProductionMs: 420 * MIN, unplannedStopMs: 47 * MIN, breakMs: 60 * MIN });
		expect(r.unplannedByReason).toEqual({ '201': 47 * MIN });
		expect(r.availability).toBeCloseTo(0.888095, 6);
		expect(r.performance).toBeCloseTo(0.861081, 6);
		expect(r.quality).toBeCloseTo(0.97805, 6);
		expect(r.oee).toBeCloseTo(0.747937, 6);
	});

	test('a state change that arrives late never counts time twice', () => {
		const tracker = new MachineOeeTracker(calendar, settings);
		tracker.onState(at('07:00'), 'running', 0);
		tracker.advance(at('07:30'));
		tracker.onState(at('07:20'), 'fault', 201);
		tracker.advance(at('08:00'));
		const r = tracker.report(EARLY)!;
		expect(r.runMs + r.unplannedStopMs).toBe(60 * MIN);
		expect(r).toMatchObject({ runMs: 30 * MIN, unplannedStopMs: 30 * MIN });
	});

	test('a run across the shift change is split exactly: time and counts', () => {
		const tracker = new MachineOeeTracker(calendar, settings);
		tracker.onState(at('13:50'), 'running', 0);
		tracker.onCounters(at('13:50'), 5000, 5000);
		tracker.onCounters(at('14:10'), 5000 + 1101, 5000 + 1100);
		tracker.advance(at('14:10'));
		const early = tracker.report(EARLY)!;
		const late = tracker.report('2026-11-24/late')!;
		expect([early.runMs, late.runMs]).toEqual([10 * MIN, 10 * MIN]);
		expect(early.total + late.total).toBe(1101);
		expect(early.good + late.good).toBe(1100);
		expect(Math.abs(early.total - late.total)).toBeLessThanOrEqual(1);
	});

	test.each([
		['a 90 s fault is a small stop (performance loss)', 90_000, { smallStopMs: 90_000, smallStops: 1, unplannedStopMs: 0 }],
		['a 150 s fault is an unplanned stop (availability loss)', 150_000, { smallStopMs: 0, smallStops: 0, unplannedStopMs: 150_000 }]
	])('%s', (_name, stopMs, expected) => {
		const tracker = new MachineOeeTracker(calendar, settings);
		tracker.onState(at('07:00'), 'running', 0);
		tracker.onState(at('07:10'), 'fault', 201);
		tracker.onState(at('07:10') + stopMs, 'running', 0);
		tracker.advance(at('08:00'));
		const r = tracker.report(EARLY)!;
		expect(r).toMatchObject(expected);
		expect(r.runTimeMs).toBe(60 * MIN - (expected.unplannedStopMs as number));
	});

	test.each([
		['availability_loss', { unplannedStopMs: 30 * MIN, plannedStopMs: 0, plannedProductionMs: 60 * MIN, availability: 0.5 }],
		['planned_downtime', { unplannedStopMs: 0, plannedStopMs: 30 * MIN, plannedProductionMs: 30 * MIN, availability: 1 }]
	] as const)('a 30 min changeover counted as %s', (changeoverAs, expected) => {
		const tracker = new MachineOeeTracker(calendar, { ...settings, changeoverAs });
		tracker.onState(at('07:00'), 'running', 0);
		tracker.onState(at('07:30'), 'changeover', 401);
		tracker.onState(at('08:00'), 'running', 0);
		tracker.advance(at('08:00'));
		expect(tracker.report(EARLY)).toMatchObject(expected);
	});

	test('a planned reason code counts as planned downtime whatever the state says', () => {
		const tracker = new MachineOeeTracker(calendar, settings);
		tracker.onState(at('07:00'), 'idle', 302);
		tracker.advance(at('07:20'));
		expect(tracker.report(EARLY)).toMatchObject({ plannedStopMs: 20 * MIN, plannedByReason: { '302': 20 * MIN }, unplannedStopMs: 0 });
	});

	test('a PLC restart of the counters neither loses nor invents counts', () => {
		const tracker = new MachineOeeTracker(calendar, settings);
		tracker.onState(at('07:00'), 'running', 0);
		const readings: [string, number][] = [['07:00', 1000], ['07:01', 1050], ['07:02', 20], ['07:03', 70], ['07:04', 4_000_000_000]];
		for (const [t, v] of readings) tracker.onCounters(at(t), v, v);
		const r = tracker.report(EARLY)!;
		expect(r.total).toBe(50 + 20 + 50);
		expect(r.counterEvents).toEqual({ reset: 1, jump: 1 });
	});

	test('rejects in the first minutes after a restart are start-up rejects', () => {
		const tracker = new MachineOeeTracker(calendar, settings);
		tracker.onState(at('07:00'), 'fault', 201);
		tracker.onState(at('07:10'), 'running', 0);
		tracker.onCounters(at('07:10'), 0, 0);
		tracker.onCounters(at('07:12'), 100, 90);
		tracker.onCounters(at('07:20'), 400, 385);
		expect(tracker.report(EARLY)).toMatchObject({ startupRejects: 10, productionRejects: 5 });
	});

	test('the simulator over a whole shift at high speed: every figure in [0, 1] and consistent with the counts', () => {
		const start = at('06:00');
		let plant = createPlant(11, start);
		const trackers = new Map<string, MachineOeeTracker>();
		const last = new Map<string, string>();
		const stepsPerSample = 10; // one reading per simulated second
		for (let s = 0; s <= (8 * 3600 * 1000) / 100; s += stepsPerSample) {
			const tags = readTags(plant);
			const byMachine = new Map<string, Record<string, number | string>>();
			for (const t of tags) byMachine.set(`${t.line}/${t.machine}`, { ...byMachine.get(`${t.line}/${t.machine}`), [t.tag]: t.value });
			for (const [machine, values] of byMachine) {
				let tracker = trackers.get(machine);
				if (!tracker) trackers.set(machine, (tracker = new MachineOeeTracker(calendar, { ...settings, idealCycleMs: 60_000 / 620 })));
				const status = `${values.state}/${values.reason_code}`;
				if (last.get(machine) !== status) tracker.onState(plant.timeMs, String(values.state), Number(values.reason_code));
				last.set(machine, status);
				tracker.onCounters(plant.timeMs, Number(values.count_total), Number(values.count_good));
			}
			plant = advance(plant, stepsPerSample);
		}
		for (const [machine, tracker] of trackers) {
			tracker.advance(at('14:00'));
			const r = tracker.report(EARLY)!;
			for (const factor of ['availability', 'performance', 'quality', 'oee'] as const) {
				expect(r[factor], `${machine} ${factor}`).toBeGreaterThan(0);
				expect(r[factor], `${machine} ${factor}`).toBeLessThanOrEqual(1);
			}
			expect(r.capped, machine).toEqual([]);
			expect(r.runTimeMs + r.unplannedStopMs + r.plannedStopMs + r.breakMs, machine).toBe(8 * 3600_000);
			expect(r.quality).toBeCloseTo(r.good / r.total, 12);
			expect(r.performance).toBeCloseTo((r.idealCycleMs * r.total) / r.runTimeMs, 12);
			expect(r.productionRejects + r.startupRejects).toBe(r.total - r.good);
		}
	});
});
