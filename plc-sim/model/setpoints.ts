/**
 * Writable setpoints: values an operator may change from the HMI. The machine applies them (a speed
 * target sets the speed it runs at when nothing holds it back; a process setpoint is where that
 * process value settles) and reports each back on its own tag, so a client sees what the machine took.
 */
import type { SimProblem } from '../errors.js';
import type { MachineParams, ProcessParams } from './params.js';
import { LINE_PARAMS, PROCESS_PARAMS } from './params.js';
import { MACHINE_IDS, tagPath, type LineId, type MachineId } from './plant.js';
import type { MachineSim, PlantState } from './state.js';

export interface SetpointDef {
	/** Tag id of the setpoint, e.g. `speed_target`; its UNS path is `<machine path>/<id>`. */
	id: string;
	/** The machine's own limits: a value outside them is refused, whatever the HMI allows. */
	limits: readonly [number, number];
	unit: string;
	/** The process value it drives; absent for the speed target. */
	process?: keyof typeof PROCESS_PARAMS;
}

export const SPEED_TARGET = 'speed_target';

/** Setpoints per machine. Only the filler has them today. */
export const SETPOINTS: Record<MachineId, readonly SetpointDef[]> = {
	filler: [
		{ id: SPEED_TARGET, limits: [0, 620], unit: '/min' },
		{ id: 'product_temperature_setpoint', limits: [0, 15], unit: '°C', process: 'product_temperature' }
	],
	capper: [],
	labeler: []
};

export function setpointDef(machine: MachineId, id: string): SetpointDef | undefined {
	return SETPOINTS[machine].find((s) => s.id === id);
}

/** The setpoint in force: the written value, or the machine's default (nominal speed, process setpoint). */
export function setpointValue(m: MachineSim, params: MachineParams, def: SetpointDef): number {
	const written = m.setpoints?.[def.id];
	if (written !== undefined) return written;
	return def.process ? PROCESS_PARAMS[def.process].setpoint : params.nominalSpeed;
}

/** Machine parameters with the written speed target as nominal speed. */
export function withSpeedTarget(m: MachineSim, params: MachineParams): MachineParams {
	const target = m.setpoints?.[SPEED_TARGET];
	return target === undefined ? params : { ...params, nominalSpeed: target };
}

/** Process parameters with the written setpoint of `tag` (e.g. `product_temperature_setpoint`). */
export function withProcessSetpoint(m: MachineSim, tag: string, params: ProcessParams): ProcessParams {
	const written = m.setpoints?.[`${tag}_setpoint`];
	return written === undefined ? params : { ...params, setpoint: written };
}

/** Why `value` cannot be written to setpoint `id` of `machine`, or null when it can. */
export function checkSetpoint(machine: MachineId, id: string, value: unknown): SimProblem | null {
	const def = setpointDef(machine, id);
	if (!def) return { code: 'SIM_ERR_UNKNOWN_SETPOINT', message: `${machine} has no setpoint "${id}"` };
	if (typeof value !== 'number' || !Number.isFinite(value)) return { code: 'SIM_ERR_BAD_PAYLOAD', message: 'value must be a finite number' };
	const [lo, hi] = def.limits;
	if (value < lo || value > hi) return { code: 'SIM_ERR_OUT_OF_RANGE', message: `${id} must be within ${lo}…${hi} ${def.unit}, got ${value}` };
	return null;
}

/** Writes a setpoint; a refused value leaves the plant as it was and says why. */
export function applySetpoint(
	state: PlantState,
	lineId: LineId,
	machineId: MachineId,
	id: string,
	value: number
): { state: PlantState; problem: SimProblem | null } {
	const problem = checkSetpoint(machineId, id, value);
	if (problem) return { state, problem };
	const next = structuredClone(state);
	const line = next.lines.find((l) => l.id === lineId);
	if (!line) return { state, problem: { code: 'SIM_ERR_UNKNOWN_MACHINE', message: `no line ${lineId}` } };
	const m = line.machines[MACHINE_IDS.indexOf(machineId)];
	m.setpoints = { ...m.setpoints, [id]: value };
	return { state: next, problem: null };
}

/** Every setpoint tag with the value in force. */
export function readSetpointTags(state: PlantState) {
	const out: { path: string; line: LineId; machine: MachineId; tag: string; type: 'Double'; value: number }[] = [];
	for (const line of state.lines) {
		for (const m of line.machines) {
			for (const def of SETPOINTS[m.id]) {
				const value = setpointValue(m, LINE_PARAMS[line.id].machines[m.id], def);
				out.push({ path: tagPath(line.id, m.id, def.id), line: line.id, machine: m.id, tag: def.id, type: 'Double', value });
			}
		}
	}
	return out;
}
