/**
 * A line's work orders: one after the other, counted at the last machine of the line, each followed
 * by a changeover of the whole line. Orders are drawn from their own seeded stream, a fixed number
 * of draws per order, so the sequence of orders depends on the seed alone.
 */
import { LINE_PARAMS, ORDERS } from './params.js';
import { LINE_IDS, REASON, type LineId } from './plant.js';
import { Rng } from './prng.js';
import type { LineSim, MachineSim, OrderBook, OrderState } from './state.js';

interface OrderDraw {
	product: string;
	target: number;
	changeoverMs: number;
	waitMs: number;
}

/**
 * The order stream of a line at start-up: the first order is already under way.
 * @param rngState seed of the line's order stream
 * @param firstNumber running number of the line's first order
 */
export function initialOrders(line: LineId, rngState: number, firstNumber: number, startTimeMs: number): OrderBook {
	const rng = new Rng(rngState);
	const draw = drawOrder(rng, null);
	const done = Math.round(rng.uniform(ORDERS.initialDone[0], ORDERS.initialDone[1]) * draw.target);
	const perMin = LINE_PARAMS[line].machines.filler.nominalSpeed * ORDERS.backdateSpeedFactor;
	const startedMs = startTimeMs - Math.round((done / perMin) * 60) * 1000;
	return { rng: rng.state, firstNumber, current: newOrder(firstNumber, 0, draw, -done, startedMs) };
}

/** Good bottles of the current order so far: the labeler's good count since the order started. */
export function orderGood(line: LineSim): number {
	return Math.max(0, lastMachine(line).countGood - line.orders.current.goodAtStart);
}

/**
 * Moves the line's order on at the end of a step, in place: completes it when the labeler has made
 * the target, and starts the next one when the changeover (and any wait for release) is over.
 * @param timeMs plant time at the end of the step
 */
export function stepOrder(line: LineSim, timeMs: number): void {
	const order = line.orders.current;
	switch (order.phase) {
		case 'running':
			if (orderGood(line) >= order.target) completeOrder(line, timeMs);
			return;
		case 'changeover':
			if (timeMs < order.phaseEndsMs!) return;
			if (order.waitMs > 0) {
				order.phase = 'waiting';
				order.phaseEndsMs = timeMs + order.waitMs;
				line.stop = { state: 'idle', reasonCode: REASON.noOrder, remainingMs: null };
			} else {
				startNextOrder(line, timeMs);
			}
			return;
		case 'waiting':
			if (timeMs >= order.phaseEndsMs!) startNextOrder(line, timeMs);
			return;
	}
}

/**
 * Ends the running order now and starts the line's changeover, in place. The changeover replaces
 * any other stop of the line; timed faults and planned stops of the machines end with it (the crew
 * sees to them during the changeover), while a fault injected by command stays until it is cleared.
 * @param timeMs plant time now
 */
export function completeOrder(line: LineSim, timeMs: number): void {
	const order = line.orders.current;
	order.phase = 'changeover';
	order.phaseEndsMs = timeMs + order.changeoverMs;
	line.stop = { state: 'changeover', reasonCode: REASON.changeover, remainingMs: null };
	for (const m of line.machines) {
		if (m.fault && m.fault.remainingMs !== null) m.fault = null;
		m.stop = null;
		m.speed = 0;
		m.speedReading = 0;
	}
}

/** e.g. `WO-26-0417`: the year the order started (UTC) and its running number. */
export function orderNumber(firstNumber: number, index: number, startedMs: number): string {
	const year = String(new Date(startedMs).getUTCFullYear() % 100).padStart(2, '0');
	return `WO-${year}-${String(firstNumber + index * LINE_IDS.length).padStart(4, '0')}`;
}

function startNextOrder(line: LineSim, timeMs: number): void {
	const previous = line.orders.current;
	const rng = new Rng(line.orders.rng);
	const draw = drawOrder(rng, previous.product);
	line.orders.rng = rng.state;
	line.orders.current = newOrder(line.orders.firstNumber, previous.index + 1, draw, lastMachine(line).countGood, timeMs);
	line.stop = null;
}

/** Draws an order; always the same number of draws, whatever comes out. */
function drawOrder(rng: Rng, previousProduct: string | null): OrderDraw {
	// A changeover goes to another product.
	const choices = ORDERS.products.filter((p) => p !== previousProduct);
	const product = choices[Math.floor(rng.next() * choices.length)];
	const target = Math.round(rng.uniform(ORDERS.target[0], ORDERS.target[1]) / ORDERS.targetStep) * ORDERS.targetStep;
	const changeoverMs = Math.round(rng.uniform(ORDERS.changeoverS[0], ORDERS.changeoverS[1])) * 1000;
	const waits = rng.chance(ORDERS.waitChance);
	const waitMs = Math.round(rng.uniform(ORDERS.waitS[0], ORDERS.waitS[1])) * 1000;
	return { product, target, changeoverMs, waitMs: waits ? waitMs : 0 };
}

function newOrder(firstNumber: number, index: number, draw: OrderDraw, goodAtStart: number, startedMs: number): OrderState {
	return {
		index,
		number: orderNumber(firstNumber, index, startedMs),
		product: draw.product,
		target: draw.target,
		goodAtStart,
		startedMs,
		phase: 'running',
		phaseEndsMs: null,
		changeoverMs: draw.changeoverMs,
		waitMs: draw.waitMs
	};
}

function lastMachine(line: LineSim): MachineSim {
	return line.machines[line.machines.length - 1];
}
