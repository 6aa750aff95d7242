/** One machine: its reported status, its random stops and how it moves bottles between buffers. */
import { FAULT_KINDS, FLOW, MACHINE_STOPS, PROCESS_PARAMS, FILL_FLOW, type MachineParams } from './params.js';
import { PROCESS_TAG_IDS, REASON, type MachineId } from './plant.js';
import { follow, initialProcessValue, ornsteinUhlenbeck, stepProcessValue } from './process-value.js';
import type { Rng } from './prng.js';
import { withProcessSetpoint } from './setpoints.js';
import type { BufferState, MachineSim, MachineStatus, Stop } from './state.js';
import { initialTank, stepTank } from './tank.js';

export function initialMachine(id: MachineId, params: MachineParams): MachineSim {
	const process: MachineSim['process'] = {};
	for (const tag of PROCESS_TAG_IDS[id]) {
		if (tag === 'fill_flow' || tag === 'tank_level') continue;
		process[tag] = initialProcessValue(PROCESS_PARAMS[tag].setpoint);
	}
	if (id === 'filler') process.fill_flow = initialProcessValue(0);
	return {
		id,
		flow: 'running',
		speed: params.nominalSpeed,
		speedReading: params.nominalSpeed,
		fault: null,
		stop: null,
		partial: 0,
		countTotal: 0,
		countGood: 0,
		countReject: 0,
		process,
		forced: {},
		tank: id === 'filler' ? initialTank() : null
	};
}

/** What the machine reports: a fault beats its own planned stop, which beats a line stop, which beats the buffers. */
export function machineStatus(m: MachineSim, lineStop: Stop | null): MachineStatus {
	const stop = m.fault ?? m.stop ?? lineStop;
	if (stop) return { state: stop.state, reasonCode: stop.reasonCode };
	if (m.flow === 'starved') return { state: 'starved', reasonCode: REASON.starved };
	if (m.flow === 'blocked') return { state: 'blocked', reasonCode: REASON.blocked };
	return { state: 'running', reasonCode: REASON.none };
}

/** Counts a stop down; returns null once it has run out. Held stops (`remainingMs: null`) never run out. */
export function countDown(stop: Stop | null, dtMs: number): Stop | null {
	if (!stop || stop.remainingMs === null) return stop;
	const remainingMs = stop.remainingMs - dtMs;
	return remainingMs > 0 ? { ...stop, remainingMs } : null;
}

/** Starts random faults and planned stops of this machine. */
export function maybeStop(m: MachineSim, params: MachineParams, lineStop: Stop | null, dtMs: number, rng: Rng): void {
	const hours = dtMs / 3_600_000;
	if (!m.fault && !m.stop && !lineStop) {
		for (const kind of MACHINE_STOPS[m.id]) {
			if (rng.chance(kind.perHour * hours)) {
				m.stop = { state: kind.state, reasonCode: kind.reasonCode, remainingMs: durationMs(kind.durationS, rng) };
				break;
			}
		}
	}
	if (machineStatus(m, lineStop).state === 'running' && rng.chance(params.faultsPerHour * hours)) {
		const kind = rng.weighted(FAULT_KINDS, (k) => k.weight);
		m.fault = { state: 'fault', reasonCode: kind.reasonCode, remainingMs: durationMs(kind.durationS, rng) };
	}
}

/** A stop duration drawn from `rangeS` (seconds), in ms. */
export function durationMs(rangeS: readonly [number, number], rng: Rng): number {
	return rng.logUniform(rangeS[0], rangeS[1]) * 1000;
}

/**
 * Moves bottles through a machine for one step: takes from the infeed buffer (none for the first
 * machine: bottles always arrive), counts them, and puts the good ones on the outfeed buffer
 * (none for the last machine: the packer always takes them).
 * @param held a fault or a planned stop keeps the machine still
 * @param dtMs plant time of the step
 * @returns bottles processed in this step (fractional)
 */
export function stepFlow(
	m: MachineSim,
	params: MachineParams,
	held: boolean,
	infeed: BufferState | null,
	outfeed: BufferState | null,
	dtMs: number,
	rng: Rng
): number {
	if (held) {
		m.speed = 0;
		m.speedReading = 0;
		return 0;
	}
	const room = outfeed ? Math.max(0, outfeed.capacity - outfeed.level) : Infinity;
	if (m.flow === 'starved' && infeed && infeed.level >= FLOW.restartFill * infeed.capacity) m.flow = 'running';
	if (m.flow === 'blocked' && outfeed && room >= FLOW.restartRoom * outfeed.capacity) m.flow = 'running';
	if (m.flow !== 'running') {
		m.speed = 0;
		m.speedReading = 0;
		return 0;
	}

	// Accumulation sensors: slow down when the infeed runs low or the outfeed fills up.
	let factor = 1;
	if (infeed) factor = Math.min(factor, infeed.level / (FLOW.infeedLowFill * infeed.capacity));
	if (outfeed) factor = Math.min(factor, room / ((1 - FLOW.outfeedHighFill) * outfeed.capacity));
	const target = params.nominalSpeed * Math.max(FLOW.minSpeedFactor, Math.min(1, factor));
	const dtS = dtMs / 1000;
	m.speed =
		target > m.speed ? Math.min(target, m.speed + FLOW.accelPerS * dtS) : Math.max(target, m.speed - FLOW.decelPerS * dtS);

	const want = (m.speed * dtMs) / 60_000;
	const take = Math.min(want, infeed ? infeed.level : Infinity, room);
	if (take < want) {
		// Ran dry or ran full: stop and wait for the restart level.
		m.flow = infeed && infeed.level <= take ? 'starved' : 'blocked';
		m.speed = 0;
		m.speedReading = 0;
		return 0;
	}
	if (infeed) infeed.level -= take;
	m.partial += take;
	while (m.partial >= 1) {
		m.partial -= 1;
		m.countTotal += 1;
		if (rng.chance(params.rejectRate)) {
			m.countReject += 1;
		} else {
			m.countGood += 1;
			if (outfeed) outfeed.level += 1;
		}
	}
	m.speedReading = m.speed * (1 + FLOW.speedNoise * rng.normal());
	return take;
}

/**
 * Advances the machine's process values.
 * @param processed bottles processed in this step
 * @param bottleLitres product per bottle
 * @returns true when the filler's tank has just run empty
 */
export function stepProcess(
	m: MachineSim,
	running: boolean,
	processed: number,
	bottleLitres: number,
	dtMs: number,
	rng: Rng
): boolean {
	for (const [tag, pv] of Object.entries(m.process)) {
		if (tag === 'fill_flow') continue;
		stepProcessValue(pv, withProcessSetpoint(m, tag, PROCESS_PARAMS[tag as keyof typeof PROCESS_PARAMS]), dtMs, rng, running);
	}
	const flow = m.process.fill_flow;
	if (flow) {
		const dtS = dtMs / 1000;
		flow.drift = ornsteinUhlenbeck(flow.drift, FILL_FLOW.driftSigma, FILL_FLOW.driftTauS, dtS, rng);
		const target = running ? m.speed * bottleLitres * (1 + flow.drift) : 0;
		flow.value = follow(flow.value, target, FILL_FLOW.tauS, dtS);
		flow.reading = Math.max(0, flow.value + (flow.value > 1 ? rng.normal() * FILL_FLOW.noise : 0));
	}
	return m.tank ? stepTank(m.tank, processed * bottleLitres, dtMs, rng) : false;
}
