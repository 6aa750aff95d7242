import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import { LINE_IDS, MACHINE_IDS, PROCESS_TAG_IDS, machineTags, type LineId, type MachineId } from './plant.js';
import { STEP_MS, advance, applyCommand, createPlant, machineOf, readTags, statusOf, step, type Command } from './simulation.js';
import type { PlantState } from './state.js';

const START = Date.UTC(2026, 0, 5, 6, 0, 0);
const SECOND = 1000 / STEP_MS; // steps per plant second

/** Runs the plant for `seconds`, calling `visit` once per plant second. */
function run(state: PlantState, seconds: number, visit?: (s: PlantState) => void): PlantState {
	for (let i = 0; i < seconds; i++) {
		state = advance(state, SECOND);
		visit?.(state);
	}
	return state;
}

function command(state: PlantState, line: LineId, machine: MachineId, cmd: Command): PlantState {
	const result = applyCommand(state, line, machine, cmd);
	expect(result.problem).toBeNull();
	return result.state;
}

/** A digest of every snapshot, one per plant second. */
function story(seed: number, seconds: number): string {
	const hash = createHash('sha256');
	run(createPlant(seed, START), seconds, (s) => hash.update(JSON.stringify(s)));
	return hash.digest('hex');
}

describe('determinism', () => {
	test('same seed → identical snapshots over two plant-hours; another seed → another story', () => {
		const a = story(1, 7200);
		expect(story(1, 7200)).toBe(a);
		expect(story(2, 7200)).not.toBe(a);
	});

	test('advance(n) equals n single steps, and step leaves its input alone', () => {
		let s = createPlant(5, START);
		const before = JSON.stringify(s);
		const batched = advance(s, 600);
		expect(JSON.stringify(s)).toBe(before);
		for (let i = 0; i < 600; i++) s = step(s);
		expect(s).toEqual(batched);
		expect(s.timeMs).toBe(START + 600 * STEP_MS);
	});

	test('a command on line 1 leaves the story of line 2 alone', () => {
		const plain = run(createPlant(3, START), 600);
		const poked = run(command(createPlant(3, START), 'line1', 'capper', { kind: 'inject_fault', reasonCode: 202 }), 600);
		expect(poked.lines[1]).toEqual(plain.lines[1]);
		expect(poked.lines[0]).not.toEqual(plain.lines[0]);
	});
});

describe('tags', () => {
	test('every tag of every machine is reported with the right type', () => {
		const tags = readTags(createPlant(1, START));
		expect(tags).toHaveLength(2 * (10 + 7 + 7));
		for (const t of tags) {
			expect(t.path).toBe(`acme/utrecht/packaging/${t.line}/${t.machine}/${t.tag}`);
			if (t.type === 'String') expect(typeof t.value).toBe('string');
			else expect(Number.isFinite(t.value)).toBe(true);
			if (t.type === 'UInt32') expect(Number.isInteger(t.value) && (t.value as number) >= 0).toBe(true);
		}
	});

	describe('over a plant-hour', () => {
		type Sample = { state: string; speed: number; total: number; good: number; reject: number };
		const series = new Map<string, Sample[]>();
		beforeAll(() => {
			run(createPlant(4, START), 3600, (s) => {
				const byMachine = new Map<string, Record<string, number | string>>();
				for (const t of readTags(s)) {
					const key = `${t.line}/${t.machine}`;
					const values = byMachine.get(key) ?? {};
					values[t.tag] = t.value;
					byMachine.set(key, values);
				}
				for (const [key, v] of byMachine) {
					const list = series.get(key) ?? [];
					list.push({
						state: v.state as string,
						speed: v.speed as number,
						total: v.count_total as number,
						good: v.count_good as number,
						reject: v.count_reject as number
					});
					series.set(key, list);
				}
			});
		});

		test.each(LINE_IDS.flatMap((line) => MACHINE_IDS.map((machine) => `${line}/${machine}`)))(
			'%s: counters are monotonic, total = good + reject, speed is 0 unless running',
			(key) => {
				const samples = series.get(key)!;
				expect(samples).toHaveLength(3600);
				samples.forEach((now, i) => {
					const prev = samples[i - 1] ?? { total: 0, good: 0, reject: 0 };
					expect(now.total).toBe(now.good + now.reject);
					expect(now.total).toBeGreaterThanOrEqual(prev.total);
					expect(now.good).toBeGreaterThanOrEqual(prev.good);
					expect(now.reject).toBeGreaterThanOrEqual(prev.reject);
					if (now.state !== 'running') expect(now.speed).toBe(0);
				});
				// About an hour of production at 400–600/min, with a small reject rate.
				const last = samples[samples.length - 1];
				expect(last.total).toBeGreaterThan(15_000);
				expect(last.reject / last.total).toBeGreaterThan(0.002);
				expect(last.reject / last.total).toBeLessThan(0.025);
			}
		);
	});
});

describe('line dynamics', () => {
	test('a faulted capper blocks the filler (102) and starves the labeler (101)', () => {
		const state = command(createPlant(1, START), 'line1', 'capper', { kind: 'inject_fault', reasonCode: 202 });
		const seen = { filler: new Set<string>(), labeler: new Set<string>() };
		run(state, 120, (s) => {
			for (const m of ['filler', 'labeler'] as const) {
				const st = statusOf(s, 'line1', m);
				seen[m].add(`${st.state}/${st.reasonCode}`);
			}
		});
		expect(seen.filler).toContain('blocked/102');
		expect(seen.labeler).toContain('starved/101');
	});

	test('an injected fault holds until cleared, then the machine runs again', () => {
		let state = command(createPlant(1, START), 'line2', 'filler', { kind: 'inject_fault', reasonCode: 204 });
		state = run(state, 1800, (s) => expect(statusOf(s, 'line2', 'filler')).toEqual({ state: 'fault', reasonCode: 204 }));
		state = command(state, 'line2', 'filler', { kind: 'clear_fault' });
		let ranAgain = false;
		run(state, 120, (s) => {
			if (statusOf(s, 'line2', 'filler').state === 'running') ranAgain = true;
		});
		expect(ranAgain).toBe(true);
	});

	test('a forced value holds until released', () => {
		const path = 'acme/utrecht/packaging/line1/filler/product_temperature';
		const read = (s: PlantState) => readTags(s).find((t) => t.path === path)?.value;
		let state = command(createPlant(1, START), 'line1', 'filler', {
			kind: 'force_value',
			tag: 'product_temperature',
			value: 12.5
		});
		state = run(state, 600, (s) => expect(read(s)).toBe(12.5));
		state = command(state, 'line1', 'filler', { kind: 'release_value', tag: 'product_temperature' });
		state = run(state, 1);
		expect(read(state)).not.toBe(12.5);
		expect(read(state)).toBeGreaterThan(2);
		expect(read(state)).toBeLessThan(12);
	});

	test.each<[string, Command, string]>([
		['a non-fault reason', { kind: 'inject_fault', reasonCode: 101 }, 'SIM_ERR_NOT_A_FAULT'],
		['another machine’s tag', { kind: 'force_value', tag: 'torque', value: 1 }, 'SIM_ERR_UNKNOWN_TAG'],
		['a counter', { kind: 'force_value', tag: 'count_total', value: 1 }, 'SIM_ERR_UNKNOWN_TAG'],
		['a non-finite value', { kind: 'force_value', tag: 'tank_level', value: Number.NaN }, 'SIM_ERR_BAD_PAYLOAD']
	])('refuses %s and leaves the plant alone', (_name, cmd, code) => {
		const state = createPlant(1, START);
		const result = applyCommand(state, 'line1', 'filler', cmd);
		expect(result.problem?.code).toBe(code);
		expect(result.state).toBe(state);
	});
});

describe('a simulated shift (8 plant-hours)', () => {
	const seconds = 8 * 3600;
	const time = new Map<string, Record<string, number>>();
	const outOfRange = new Map<string, number>();
	let state = createPlant(1, START);
	beforeAll(() => {
		state = run(state, seconds, visit);
	});
	const visit = (s: PlantState) => {
		for (const line of s.lines) {
			for (const m of line.machines) {
				const key = `${line.id}/${m.id}`;
				const st = statusOf(s, line.id, m.id).state;
				const t = time.get(key) ?? {};
				t[st] = (t[st] ?? 0) + 1;
				time.set(key, t);
			}
		}
		for (const t of readTags(s)) {
			const def = machineTags(t.machine).find((d) => d.id === t.tag);
			if (def?.kind !== 'process' || !def.range) continue;
			const v = t.value as number;
			if (v < def.range[0] || v > def.range[1]) outOfRange.set(t.tag, (outOfRange.get(t.tag) ?? 0) + 1);
		}
	};

	test.each(LINE_IDS.flatMap((line) => MACHINE_IDS.map((machine) => `${line}/${machine}`)))(
		'%s runs most of the time and is in fault some of the time',
		(key) => {
			const t = time.get(key)!;
			expect(t.running / seconds).toBeGreaterThan(0.75);
			expect(t.running / seconds).toBeLessThan(0.97);
			expect(t.fault ?? 0).toBeGreaterThan(0);
		}
	);

	test('starved and blocked happen along the lines, and planned stops too', () => {
		const all = [...time.values()];
		const total = (state: string) => all.reduce((sum, t) => sum + (t[state] ?? 0), 0);
		expect(total('starved')).toBeGreaterThan(0);
		expect(total('blocked')).toBeGreaterThan(0);
		expect(total('planned_stop') + total('changeover') + total('idle')).toBeGreaterThan(0);
	});

	test.each(Object.values(PROCESS_TAG_IDS).flat())('%s leaves its normal range now and then, but not for long', (tag) => {
		const samples = seconds * LINE_IDS.length;
		const n = outOfRange.get(tag) ?? 0;
		expect(n).toBeGreaterThan(0);
		// Fill flow follows speed, so it also reads 0 whenever the filler stands still.
		expect(n / samples).toBeLessThan(tag === 'fill_flow' ? 0.25 : 0.1);
	});

	test.each(LINE_IDS)('%s changes over between work orders, all its machines at once', (line) => {
		const changeover = MACHINE_IDS.map((m) => time.get(`${line}/${m}`)!.changeover ?? 0);
		expect(changeover[0]).toBeGreaterThan(10 * 60);
		expect(new Set(changeover).size).toBe(1);
	});

	test('plant time advanced by exactly the steps taken', () => {
		expect(state.timeMs - START).toBe(seconds * 1000);
		expect(machineOf(state, 'line1', 'filler').countTotal).toBeGreaterThan(150_000);
	});
});
