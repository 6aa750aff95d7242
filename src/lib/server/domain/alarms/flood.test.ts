import { describe, expect, test } from 'vitest';
import { NO_FLOOD, updateFlood, type FloodState } from './flood';

const settings = { count: 10, windowMs: 600_000, endBelow: 5 };
const MIN = 60_000;

/** Feeds activations at the given minutes, then evaluates at `at` minutes. */
function after(activationMinutes: number[], at: number): FloodState {
	let state = NO_FLOOD;
	for (const m of activationMinutes) state = updateFlood(state, settings, m * MIN, true);
	return updateFlood(state, settings, at * MIN, false);
}

describe('alarm flood', () => {
	test.each<[string, number[], number, boolean, number]>([
		['10 alarms in 10 minutes is not a flood', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 9, false, 10],
		['the 11th within 10 minutes starts one', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9.5], 9.5, true, 11],
		['11 spread over more than 10 minutes is not one', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10.5], 10.5, false, 10],
		['it goes on while 5 or more remain in the window', [0, 0, 0, 0, 0, 0, 5, 5, 5, 5, 5], 14, true, 5],
		['it ends when fewer than 5 remain', [0, 0, 0, 0, 0, 0, 5, 5, 5, 5, 9], 15.5, false, 1]
	])('%s', (_name, minutes, at, active, inWindow) => {
		const state = after(minutes, at);
		expect(state.active).toBe(active);
		expect(state.recent).toHaveLength(inWindow);
	});

	test('a flood remembers when it began; an unchanged state is returned as is', () => {
		const state = after([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2], 3);
		expect(state.since).toBe(2 * MIN);
		expect(updateFlood(state, settings, 3 * MIN, false)).toBe(state);
	});
});
