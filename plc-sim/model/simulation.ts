/**
 * The plant model's public face: create a plant, step it, apply commands, read its tags.
 * Everything here is pure: functions return a new snapshot and leave their input alone.
 */
import type { SimProblem } from '../errors.js';
import { initialLine, stepLine } from './line.js';
import { machineStatus } from './machine.js';
import { completeOrder, orderGood } from './orders.js';
import { ORDERS, STEP_MS } from './params.js';
import {
	LINE_IDS,
	MACHINE_IDS,
	ORDER_TAGS,
	isFaultReason,
	isProcessTag,
	machineTags,
	orderTagPath,
	tagPath,
	type LineId,
	type MachineId,
	type OrderTagId,
	type TagType
} from './plant.js';
import { deriveSeed } from './prng.js';
import { readSetpointTags } from './setpoints.js';
import type { LineSim, MachineSim, MachineStatus, OrderState, PlantState } from './state.js';

export { STEP_MS };

/** A fault-injection command for one machine. */
export type Command =
	| { kind: 'inject_fault'; reasonCode: number }
	| { kind: 'clear_fault' }
	| { kind: 'force_value'; tag: string; value: number }
	| { kind: 'release_value'; tag: string };

/** A command for a line's current work order. */
export type OrderCommand = { kind: 'complete_order' };

export interface TagSample {
	/** UNS path, e.g. `acme/utrecht/packaging/line2/capper/torque`. */
	path: string;
	line: LineId;
	machine: MachineId;
	tag: string;
	type: TagType;
	value: number | string;
}

/** A tag of a line's current work order, e.g. `acme/utrecht/packaging/line1/order/number`. */
export interface OrderTagSample {
	path: string;
	line: LineId;
	/** Not a machine's tag: the line's. */
	machine: null;
	tag: OrderTagId;
	type: TagType;
	value: number | string;
}

/** Any tag the simulator serves. */
export type Sample = TagSample | OrderTagSample;

/**
 * A plant at start-up: every machine running at nominal speed, buffers partly filled, counters at 0,
 * and on each line a work order already under way.
 * @param startTimeMs plant time of the first snapshot, epoch ms
 */
export function createPlant(seed: number, startTimeMs: number): PlantState {
	const n = LINE_IDS.length;
	const [lo, hi] = ORDERS.firstNumber;
	const firstNumber = lo + (deriveSeed(seed, 2 * n) % (hi - lo));
	return {
		seed,
		timeMs: startTimeMs,
		steps: 0,
		lines: LINE_IDS.map((id, i) =>
			initialLine(id, { rng: deriveSeed(seed, i), orderRng: deriveSeed(seed, n + i), firstOrderNumber: firstNumber + i }, startTimeMs)
		)
	};
}

/** The plant one step of `dtMs` plant time later. */
export function step(state: PlantState, dtMs: number = STEP_MS): PlantState {
	return advance(state, 1, dtMs);
}

/** The plant `steps` steps of `dtMs` later; the same as calling `step` that many times, only faster. */
export function advance(state: PlantState, steps: number, dtMs: number = STEP_MS): PlantState {
	const next = structuredClone(state);
	for (let i = 0; i < steps; i++) {
		const timeMs = next.timeMs + dtMs;
		for (const line of next.lines) stepLine(line, dtMs, timeMs);
		next.steps += 1;
		next.timeMs = timeMs;
	}
	return next;
}

/** Applies a fault-injection command; an invalid command leaves the plant as it was and says why. */
export function applyCommand(
	state: PlantState,
	lineId: LineId,
	machineId: MachineId,
	command: Command
): { state: PlantState; problem: SimProblem | null } {
	const problem = checkCommand(machineId, command);
	if (problem) return { state, problem };
	const next = structuredClone(state);
	const m = machineOf(next, lineId, machineId);
	switch (command.kind) {
		case 'inject_fault':
			m.fault = { state: 'fault', reasonCode: command.reasonCode, remainingMs: null };
			m.speed = 0;
			m.speedReading = 0;
			break;
		case 'clear_fault':
			m.fault = null;
			break;
		case 'force_value':
			m.forced[command.tag] = command.value;
			break;
		case 'release_value':
			delete m.forced[command.tag];
			break;
	}
	return { state: next, problem: null };
}

/**
 * Applies a command for a line's work order: `complete_order` ends the running order at once and
 * starts the line's changeover. Refused while the line is between orders.
 */
export function applyOrderCommand(
	state: PlantState,
	lineId: LineId,
	command: OrderCommand
): { state: PlantState; problem: SimProblem | null } {
	const order = lineOf(state, lineId).orders.current;
	switch (command.kind) {
		case 'complete_order':
			if (order.phase !== 'running') {
				const what = order.phase === 'changeover' ? 'in its changeover' : 'waiting for its next order';
				return {
					state,
					problem: { code: 'SIM_ERR_NO_RUNNING_ORDER', message: `${lineId} has no running order: ${order.number} is done and the line is ${what}` }
				};
			}
	}
	const next = structuredClone(state);
	completeOrder(lineOf(next, lineId), next.timeMs);
	return { state: next, problem: null };
}

/** Why `command` cannot be applied to `machineId`, or null when it can. */
export function checkCommand(machineId: MachineId, command: Command): SimProblem | null {
	switch (command.kind) {
		case 'inject_fault':
			return isFaultReason(command.reasonCode)
				? null
				: { code: 'SIM_ERR_NOT_A_FAULT', message: `reason code ${command.reasonCode} is not a fault (200–299)` };
		case 'clear_fault':
			return null;
		case 'force_value':
		case 'release_value':
			if (!isProcessTag(machineId, command.tag)) {
				return { code: 'SIM_ERR_UNKNOWN_TAG', message: `${machineId} has no process value "${command.tag}"` };
			}
			if (command.kind === 'force_value' && !Number.isFinite(command.value)) {
				return { code: 'SIM_ERR_BAD_PAYLOAD', message: 'value must be a finite number' };
			}
			return null;
	}
}

export function machineOf(state: PlantState, lineId: LineId, machineId: MachineId): MachineSim {
	return lineOf(state, lineId).machines[MACHINE_IDS.indexOf(machineId)];
}

export function lineOf(state: PlantState, lineId: LineId): LineSim {
	const line = state.lines.find((l) => l.id === lineId);
	if (!line) throw new Error(`no line ${lineId}`);
	return line;
}

/** The current work order of a line (the one just done while the line is in its changeover). */
export function orderOf(state: PlantState, lineId: LineId): OrderState {
	return lineOf(state, lineId).orders.current;
}

/** State and reason code a machine reports. */
export function statusOf(state: PlantState, lineId: LineId, machineId: MachineId): MachineStatus {
	const line = lineOf(state, lineId);
	return machineStatus(machineOf(state, lineId, machineId), line.stop);
}

/** Every tag of every machine with the value it reports now. */
export function readTags(state: PlantState): TagSample[] {
	const out: TagSample[] = [];
	for (const line of state.lines) {
		for (const m of line.machines) {
			const status = machineStatus(m, line.stop);
			for (const def of machineTags(m.id)) {
				out.push({
					path: tagPath(line.id, m.id, def.id),
					line: line.id,
					machine: m.id,
					tag: def.id,
					type: def.type,
					value: tagValue(m, def.id, status)
				});
			}
		}
	}
	return out;
}

const UINT32 = 2 ** 32;

/** The work-order tags of every line. */
export function readOrderTags(state: PlantState): OrderTagSample[] {
	const out: OrderTagSample[] = [];
	for (const line of state.lines) {
		const order = line.orders.current;
		const values: Record<OrderTagId, number | string> = {
			number: order.number,
			product: order.product,
			target: order.target,
			good: orderGood(line) % UINT32,
			started_ms: order.startedMs
		};
		for (const def of ORDER_TAGS) {
			const tag = def.id as OrderTagId;
			out.push({ path: orderTagPath(line.id, tag), line: line.id, machine: null, tag, type: def.type, value: values[tag] });
		}
	}
	return out;
}

/** Every tag the simulator serves: the machines' tags, then the work orders', then the setpoints'. */
export function readAllTags(state: PlantState): Sample[] {
	return [...readTags(state), ...readOrderTags(state), ...readSetpointTags(state)];
}

function tagValue(m: MachineSim, tag: string, status: MachineStatus): number | string {
	switch (tag) {
		case 'state':
			return status.state;
		case 'reason_code':
			return status.reasonCode;
		case 'speed':
			return status.state === 'running' ? round(m.speedReading, 1) : 0;
		case 'count_total':
			return m.countTotal % UINT32;
		case 'count_good':
			return m.countGood % UINT32;
		case 'count_reject':
			return m.countReject % UINT32;
	}
	if (tag in m.forced) return m.forced[tag];
	if (tag === 'tank_level') return round(m.tank?.reading ?? 0, 3);
	return round(m.process[tag]?.reading ?? 0, 3);
}

function round(v: number, decimals: number): number {
	const f = 10 ** decimals;
	return Math.round(v * f) / f;
}
