/** A line: three machines joined by two accumulation conveyors, the stops that hit the whole line, and its work orders. */
import { countDown, durationMs, initialMachine, machineStatus, maybeStop, stepFlow, stepProcess } from './machine.js';
import { initialOrders, stepOrder } from './orders.js';
import { LINE_PARAMS, LINE_STOPS, TANK } from './params.js';
import { MACHINE_IDS, REASON, type LineId } from './plant.js';
import { Rng } from './prng.js';
import { withSpeedTarget } from './setpoints.js';
import type { LineSim } from './state.js';

export interface LineSeeds {
	/** Seed of the line's random story (faults, stops, process values). */
	rng: number;
	/** Seed of the line's order stream. */
	orderRng: number;
	/** Running number of the line's first work order. */
	firstOrderNumber: number;
}

export function initialLine(id: LineId, seeds: LineSeeds, startTimeMs: number): LineSim {
	const params = LINE_PARAMS[id];
	return {
		id,
		rng: seeds.rng,
		machines: MACHINE_IDS.map((m) => initialMachine(m, params.machines[m])),
		buffers: params.buffers.map((b) => ({ level: Math.round(b.capacity * b.initialFill), capacity: b.capacity })),
		stop: null,
		orders: initialOrders(id, seeds.orderRng, seeds.firstOrderNumber, startTimeMs)
	};
}

/**
 * Advances a line by one step of `dtMs` plant time, in place.
 * @param timeMs plant time at the end of the step
 */
export function stepLine(line: LineSim, dtMs: number, timeMs: number): void {
	const params = LINE_PARAMS[line.id];
	const rng = new Rng(line.rng);

	line.stop = countDown(line.stop, dtMs);
	if (!line.stop) {
		for (const kind of LINE_STOPS) {
			if (rng.chance((kind.perHour * dtMs) / 3_600_000)) {
				line.stop = { state: kind.state, reasonCode: kind.reasonCode, remainingMs: durationMs(kind.durationS, rng) };
				break;
			}
		}
	}

	for (const m of line.machines) {
		m.fault = countDown(m.fault, dtMs);
		m.stop = countDown(m.stop, dtMs);
		maybeStop(m, params.machines[m.id], line.stop, dtMs, rng);
	}

	const processed = line.machines.map((m, i) => {
		const held = Boolean(m.fault || m.stop || line.stop);
		return stepFlow(
			m,
			withSpeedTarget(m, params.machines[m.id]),
			held,
			i > 0 ? line.buffers[i - 1] : null,
			i < line.buffers.length ? line.buffers[i] : null,
			dtMs,
			rng
		);
	});

	line.machines.forEach((m, i) => {
		const running = machineStatus(m, line.stop).state === 'running';
		const ranEmpty = stepProcess(m, running, processed[i], params.bottleLitres, dtMs, rng);
		if (ranEmpty && !m.fault) {
			m.fault = { state: 'fault', reasonCode: REASON.materialOut, remainingMs: durationMs(TANK.emptyFaultS, rng) };
			m.speed = 0;
			m.speedReading = 0;
		}
	});

	line.rng = rng.state;
	stepOrder(line, timeMs);
}

