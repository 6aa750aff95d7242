import { beforeAll, describe, expect, test } from 'vitest';
import { ORDERS } from './params.js';
import { LINE_IDS, MACHINE_IDS, type LineId } from './plant.js';
import {
	STEP_MS,
	advance,
	applyCommand,
	applyOrderCommand,
	createPlant,
	lineOf,
	machineOf,
	orderOf,
	readOrderTags,
	readTags,
	statusOf,
	step
} from './simulation.js';
import type { PlantState } from './state.js';

const START = Date.UTC(2026, 0, 5, 6, 0, 0);
const SECOND = 1000 / STEP_MS; // steps per plant second
const MINUTE = 60_000;

interface OrderTags {
	number: string;
	product: string;
	target: number;
	good: number;
	started_ms: number;
}

/** The order tags of a line, as a consumer reads them. */
function orderTags(s: PlantState, line: LineId): OrderTags {
	const out: Record<string, number | string> = {};
	for (const t of readOrderTags(s)) if (t.line === line) out[t.tag] = t.value;
	return out as unknown as OrderTags;
}

function statuses(s: PlantState, line: LineId): string[] {
	return MACHINE_IDS.map((m) => {
		const st = statusOf(s, line, m);
		return `${st.state}/${st.reasonCode}`;
	});
}

const labelerGood = (s: PlantState, line: LineId) => machineOf(s, line, 'labeler').countGood;
const phaseKey = (s: PlantState, line: LineId) => `${orderOf(s, line).index}/${orderOf(s, line).phase}`;

function completeOrder(state: PlantState, line: LineId): PlantState {
	const result = applyOrderCommand(state, line, { kind: 'complete_order' });
	expect(result.problem).toBeNull();
	return result.state;
}

/** The first `count` orders of each line, jumping ahead with complete_order as soon as an order runs. */
function jumpThrough(seed: number, count: number): Record<LineId, OrderTags[]> {
	let s = createPlant(seed, START);
	const seen = { line1: [], line2: [] } as Record<LineId, OrderTags[]>;
	while (LINE_IDS.some((l) => seen[l].length < count)) {
		for (const line of LINE_IDS) {
			if (seen[line].length >= count || orderOf(s, line).phase !== 'running') continue;
			seen[line].push(orderTags(s, line));
			s = completeOrder(s, line);
		}
		s = advance(s, 60 * SECOND);
	}
	return seen;
}

/** What an order is, apart from when it ran. */
const plan = (o: OrderTags) => ({ number: o.number, product: o.product, target: o.target });

describe('the order under way at start-up', () => {
	test.each([1, 2, 3, 7, 42, 65_535])('seed %i: numbered, sized and already part-done', (seed) => {
		const s = createPlant(seed, START);
		const [a, b] = LINE_IDS.map((line) => orderTags(s, line));
		for (const o of [a, b]) {
			expect(o.number).toMatch(/^WO-26-\d{4}$/);
			expect(ORDERS.products).toContain(o.product);
			expect(o.target).toBeGreaterThanOrEqual(ORDERS.target[0]);
			expect(o.target).toBeLessThanOrEqual(ORDERS.target[1]);
			expect(o.target % ORDERS.targetStep).toBe(0);
			expect(o.good / o.target).toBeGreaterThanOrEqual(0.1);
			expect(o.good / o.target).toBeLessThanOrEqual(0.6);
			// Back-dated to when it would have started, in whole seconds.
			expect(o.started_ms).toBeLessThan(START);
			expect(o.started_ms).toBeGreaterThan(START - 12 * 60 * MINUTE);
			expect((START - o.started_ms) % 1000).toBe(0);
		}
		expect(a.number).not.toBe(b.number);
	});

	test('five tags per line: number, product, target, good, started_ms', () => {
		const tags = readOrderTags(createPlant(1, START));
		const ids = ['number', 'product', 'target', 'good', 'started_ms'];
		expect(tags.map((t) => t.path)).toEqual(LINE_IDS.flatMap((l) => ids.map((id) => `acme/utrecht/packaging/${l}/order/${id}`)));
		expect(tags.map((t) => t.type)).toEqual([...Array(LINE_IDS.length)].flatMap(() => ['String', 'String', 'UInt32', 'UInt32', 'Double']));
		for (const t of tags) {
			expect(t.machine).toBeNull();
			if (t.type === 'String') expect(t.value).toBeTypeOf('string');
			else expect(Number.isInteger(t.value) && (t.value as number) >= 0).toBe(true);
		}
		// The machines' tags are apart.
		expect(readTags(createPlant(1, START)).some((t) => t.path.includes('/order/'))).toBe(false);
	});
});

describe('order sequence over 6 plant-hours (seed 9)', () => {
	/** Two adjacent step snapshots between which the line's order moved on. */
	type Transition = { before: PlantState; after: PlantState };
	const seed = 9;
	const transitions: Record<LineId, Transition[]> = { line1: [], line2: [] };
	const orders: Record<LineId, OrderTags[]> = { line1: [], line2: [] };
	const between: { line: LineId; phase: string; statuses: string[]; tags: OrderTags; final: OrderTags }[] = [];

	beforeAll(() => {
		let prev = createPlant(seed, START);
		for (const line of LINE_IDS) orders[line].push(orderTags(prev, line));
		for (let i = 0; i < 6 * 3600; i++) {
			const next = advance(prev, SECOND);
			for (const line of LINE_IDS) {
				if (phaseKey(next, line) !== phaseKey(prev, line)) {
					// Changeovers last minutes, so at most one transition per plant second: find its step.
					let before = prev;
					for (;;) {
						const after = step(before);
						if (phaseKey(after, line) !== phaseKey(before, line)) {
							transitions[line].push({ before, after });
							break;
						}
						before = after;
					}
					if (orderOf(next, line).index !== orderOf(prev, line).index) orders[line].push(orderTags(next, line));
				}
				const phase = orderOf(next, line).phase;
				if (phase !== 'running') {
					const last = transitions[line].findLast((t) => orderOf(t.after, line).phase === 'changeover')!;
					between.push({ line, phase, statuses: statuses(next, line), tags: orderTags(next, line), final: orderTags(last.after, line) });
				}
			}
			prev = next;
		}
	});

	const kinds = (line: LineId) => transitions[line].map((t) => orderOf(t.after, line).phase);

	test('both lines reach targets, change over (now and then wait for a release) and start new orders', () => {
		for (const line of LINE_IDS) {
			expect(kinds(line).join(' ')).toMatch(/^(changeover (waiting )?running ?)+(changeover( waiting)?)?$/);
		}
		const all = LINE_IDS.flatMap(kinds);
		expect(all.filter((k) => k === 'changeover').length).toBeGreaterThanOrEqual(3);
		expect(all).toContain('waiting');
	});

	test.each(LINE_IDS)('%s: an order ends the step the labeler makes its target; every machine is in changeover (401)', (line) => {
		const completions = transitions[line].filter((t) => orderOf(t.after, line).phase === 'changeover');
		expect(completions.length).toBeGreaterThan(0);
		for (const { before, after } of completions) {
			const done = orderTags(after, line);
			expect(done.good).toBe(done.target);
			expect(orderTags(before, line).good).toBeLessThan(done.target);
			expect(done.number).toBe(orderTags(before, line).number);
			expect(statuses(after, line)).toEqual(['changeover/401', 'changeover/401', 'changeover/401']);
		}
	});

	test('between orders the line stays in changeover (401), then idle (103) while waiting, with the finished order on show', () => {
		expect(between.length).toBeGreaterThan(0);
		for (const b of between) {
			const status = b.phase === 'changeover' ? 'changeover/401' : 'idle/103';
			expect(b.statuses, `${b.line} ${b.phase}`).toEqual([status, status, status]);
			expect(b.tags).toEqual(b.final);
		}
	});

	test.each(LINE_IDS)('%s: changeovers take 10–25 plant-minutes, waits 2–7', (line) => {
		const t = transitions[line];
		for (let i = 0; i + 1 < t.length; i++) {
			const ms = t[i + 1].after.timeMs - t[i].after.timeMs;
			const phase = orderOf(t[i].after, line).phase;
			if (phase === 'changeover') {
				expect(ms).toBeGreaterThanOrEqual(10 * MINUTE);
				expect(ms).toBeLessThanOrEqual(25 * MINUTE);
			} else if (phase === 'waiting') {
				expect(ms).toBeGreaterThanOrEqual(2 * MINUTE);
				expect(ms).toBeLessThanOrEqual(7 * MINUTE);
			}
		}
	});

	test.each(LINE_IDS)('%s: the next order starts at good 0 with a new number and product; counters carry on', (line) => {
		const starts = transitions[line].filter((t) => orderOf(t.after, line).phase === 'running');
		expect(starts.length).toBeGreaterThan(0);
		for (const { before, after } of starts) {
			const [was, now] = [orderTags(before, line), orderTags(after, line)];
			expect(now.good).toBe(0);
			expect(now.number).not.toBe(was.number);
			expect(now.product).not.toBe(was.product);
			expect(now.started_ms).toBe(after.timeMs);
			expect(now.target).toBeGreaterThanOrEqual(ORDERS.target[0]);
			expect(now.target).toBeLessThanOrEqual(ORDERS.target[1]);
			// Counters are the machines', not the order's: they are not reset.
			expect(labelerGood(after, line)).toBe(labelerGood(before, line));
			expect(labelerGood(after, line)).toBeGreaterThan(10_000);
		}
	});

	test('order numbers are distinct across both lines and rise on each', () => {
		const all = LINE_IDS.flatMap((l) => orders[l].map((o) => o.number));
		expect(all.length).toBeGreaterThanOrEqual(4);
		expect(new Set(all).size).toBe(all.length);
		for (const line of LINE_IDS) {
			const n = orders[line].map((o) => Number(o.number.slice(-4)));
			n.slice(1).forEach((x, i) => expect(x).toBe(n[i] + LINE_IDS.length));
		}
	});

	test('the sequence depends on the seed alone: jumping ahead with complete_order gives the same orders', () => {
		const jumped = jumpThrough(seed, 3);
		for (const line of LINE_IDS) {
			expect(jumped[line].slice(0, orders[line].length).map(plan)).toEqual(orders[line].map(plan));
		}
	});
});

describe('determinism of the order sequence', () => {
	test('same seed → same orders; another seed → other orders', () => {
		const a = jumpThrough(4, 4);
		expect(jumpThrough(4, 4)).toEqual(a);
		const b = jumpThrough(5, 4);
		expect(b.line1.map(plan)).not.toEqual(a.line1.map(plan));
		for (const line of LINE_IDS) expect(new Set(a[line].map((o) => o.number)).size).toBe(4);
	});

	test('faults on a line move its orders in time, never change which orders come', () => {
		const plain = jumpThrough(6, 3);
		let s = createPlant(6, START);
		s = applyCommand(s, 'line1', 'capper', { kind: 'inject_fault', reasonCode: 202 }).state;
		s = advance(s, 600 * SECOND);
		expect(orderOf(s, 'line1').index).toBe(0);
		const seen: OrderTags[] = [];
		while (seen.length < 3) {
			if (orderOf(s, 'line1').phase === 'running') {
				seen.push(orderTags(s, 'line1'));
				s = completeOrder(s, 'line1');
			}
			s = advance(s, 60 * SECOND);
		}
		expect(seen.map(plan)).toEqual(plain.line1.map(plan));
	});
});

describe('complete_order', () => {
	const FAULT = 'fault/202';
	const CHANGEOVER = 'changeover/401';
	test.each<[string, (s: PlantState) => PlantState, string[]]>([
		['a running line', (s) => s, [CHANGEOVER, CHANGEOVER, CHANGEOVER]],
		[
			'a random fault and a planned stop end with the order',
			(s) => {
				const next = structuredClone(s);
				machineOf(next, 'line1', 'capper').fault = { state: 'fault', reasonCode: 203, remainingMs: 60_000 };
				machineOf(next, 'line1', 'filler').stop = { state: 'planned_stop', reasonCode: 302, remainingMs: 600_000 };
				return next;
			},
			[CHANGEOVER, CHANGEOVER, CHANGEOVER]
		],
		[
			'a break gives way to the changeover',
			(s) => {
				const next = structuredClone(s);
				lineOf(next, 'line1').stop = { state: 'planned_stop', reasonCode: 301, remainingMs: 600_000 };
				return next;
			},
			[CHANGEOVER, CHANGEOVER, CHANGEOVER]
		],
		[
			'a fault injected by command stays until cleared',
			(s) => applyCommand(s, 'line1', 'capper', { kind: 'inject_fault', reasonCode: 202 }).state,
			[CHANGEOVER, FAULT, CHANGEOVER]
		]
	])('on %s: the line changes over at once and the order count stops', (_name, setUp, expected) => {
		const before = setUp(advance(createPlant(1, START), 60 * SECOND));
		const done = completeOrder(before, 'line1');
		expect(statuses(done, 'line1')).toEqual(expected);
		expect(orderTags(done, 'line1')).toEqual(orderTags(before, 'line1'));
		const later = advance(done, 5 * 60 * SECOND);
		expect(statuses(later, 'line1')).toEqual(expected);
		expect(orderTags(later, 'line1')).toEqual(orderTags(before, 'line1'));
		expect(readTags(later).filter((t) => t.line === 'line1' && t.tag === 'speed').map((t) => t.value)).toEqual([0, 0, 0]);
	});

	test('is refused between orders, and leaves the plant alone', () => {
		let s = completeOrder(createPlant(1, START), 'line2');
		for (const phase of ['changeover', 'waiting'] as const) {
			if (phase === 'waiting') {
				// Put the line in a wait for release, as some orders have after their changeover.
				s = structuredClone(s);
				orderOf(s, 'line2').waitMs = 20 * MINUTE;
				s = advance(s, 26 * 60 * SECOND);
				expect(orderOf(s, 'line2').phase).toBe('waiting');
			}
			const result = applyOrderCommand(s, 'line2', { kind: 'complete_order' });
			expect(result.problem?.code).toBe('SIM_ERR_NO_RUNNING_ORDER');
			expect(result.problem?.message).toContain(orderOf(s, 'line2').number);
			expect(result.state).toBe(s);
		}
	});

	test('on line 1 leaves the story of line 2 alone', () => {
		const plain = advance(createPlant(3, START), 600 * SECOND);
		const poked = advance(completeOrder(createPlant(3, START), 'line1'), 600 * SECOND);
		expect(poked.lines[1]).toEqual(plain.lines[1]);
		expect(poked.lines[0]).not.toEqual(plain.lines[0]);
	});
});
