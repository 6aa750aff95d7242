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
	/**
	 * Plant time left, ms; `null` holds the stop until something ends it: a command (injected
	 * faults) or the line's work order (changeovers and waits between orders).
	 */
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
	/** Setpoint id → value written by a client (model/setpoints.ts); absent: the machine's default. */
	setpoints?: Record<string, number>;
}

export interface BufferState {
	/** Bottles on the conveyor (fractional: flow is continuous). */
	level: number;
	capacity: number;
}

/** A work order: make `target` good bottles of `product`, counted at the last machine of the line. */
export interface OrderState {
	/** Running index on its line, from 0. */
	index: number;
	/** e.g. `WO-26-0417`. */
	number: string;
	product: string;
	/** Good bottles to make. */
	target: number;
	/** The labeler's good count when the order started (below 0 for the order already under way at start-up). */
	goodAtStart: number;
	/** Plant time the order started, epoch ms. */
	startedMs: number;
	/**
	 * `running` until the target is reached (or the order is completed by command), then the line's
	 * `changeover`, then now and then `waiting` (idle, no order released) until the next order starts.
	 */
	phase: 'running' | 'changeover' | 'waiting';
	/** Plant time the changeover or the wait ends, epoch ms; null while running. */
	phaseEndsMs: number | null;
	/** Length of the changeover after this order, ms (drawn with the order). */
	changeoverMs: number;
	/** Idle time after that changeover until the next order is released, ms (0 mostly). */
	waitMs: number;
}

/** A line's work orders: the current one, and what determines the ones to come. */
export interface OrderBook {
	/**
	 * State of the order stream's generator. It is apart from the line's `rng` and every order
	 * draws the same amount from it, so faults and commands change when orders run, never which.
	 */
	rng: number;
	/** Running number of this line's first order; the i-th order gets `firstNumber + i × number of lines`. */
	firstNumber: number;
	current: OrderState;
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
	orders: OrderBook;
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
