/**
 * The plant snapshot: plain data (no classes, no functions), so it can be cloned, compared and
 * printed. Together with the fixed step size it determines everything that happens next.
 */
import type { LineId, MachineId, MachineStateName } from './plant.js';
import type { StopState } from './params.js';

/** Something holding a machine (or a whole line) still. */
export interface Stop {
	state: StopState;
	reasonCode: number;
	/** Plant time left, ms; `null` holds the stop until it is cleared by a command. */
	remainingMs: number | null;
}

/** A process value: the physical value, its slowly wandering target and the noisy reading. */
export interface ProcessValueState {
	value: number;
	/** Offset of the target from the setpoint. */
	drift: number;
	/** A disturbance pulling the value towards `target`, or null. */
	excursion: { target: number; remainingMs: number } | null;
	reading: number;
}

export interface TankState {
	litres: number;
	/** `waiting`: below the refill level, waiting for product supply; `on`: refill valve open. */
	refill: 'off' | 'waiting' | 'on';
	refillDelayMs: number;
	reading: number;
}

export interface MachineSim {
	id: MachineId;
	/** What the buffers allow when nothing else stops the machine. */
	flow: 'running' | 'starved' | 'blocked';
	/** Actual speed, bottles/min. */
	speed: number;
	speedReading: number;
	fault: Stop | null;
	/** A planned stop of this machine alone. */
	stop: Stop | null;
	/** Bottles partly through the machine (fraction not yet counted). */
	partial: number;
	countTotal: number;
	countGood: number;
	countReject: number;
	/** Process values by tag id (fill_flow and tank_level included for the filler). */
	process: Record<string, ProcessValueState>;
	/** Tag id → value held by a force command until released. */
	forced: Record<string, number>;
	tank: TankState | null;
}

export interface BufferState {
	/** Bottles on the conveyor (fractional: flow is continuous). */
	level: number;
	capacity: number;
}

export interface LineSim {
	id: LineId;
	/** State of this line's random stream (each line has its own, so commands on one line leave the other's story alone). */
	rng: number;
	/** filler, capper, labeler. */
	machines: MachineSim[];
	/** [filler→capper, capper→labeler]. */
	buffers: BufferState[];
	/** A stop of the whole line (break, changeover, no order). */
	stop: Stop | null;
}

export interface PlantState {
	seed: number;
	/** Plant time, epoch ms. */
	timeMs: number;
	/** Steps taken since start. */
	steps: number;
	lines: LineSim[];
}

/** What a machine reports: its state and the reason for it. */
export interface MachineStatus {
	state: MachineStateName;
	reasonCode: number;
}
