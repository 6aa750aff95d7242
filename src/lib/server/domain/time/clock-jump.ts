/**
 * A wall-clock jump is the difference between how far the wall clock moved and how far a monotonic clock
 * moved over the same interval. A busy event loop delays both alike, so it never looks like a jump; a
 * suspended machine does (its monotonic clock stood still).
 */

/** A jump smaller than this is not reported, ms (NTP slews small offsets; steps of a minute matter). */
export const CLOCK_JUMP_THRESHOLD_MS = 60_000;

export interface ClockReading {
	/** Wall clock, epoch ms. */
	wall: number;
	/** Monotonic clock, ms. */
	mono: number;
}

/**
 * @returns the jump in ms (positive: forward, negative: back) between two readings, or 0 when it is within
 * `thresholdMs`
 */
export function clockJump(before: ClockReading, after: ClockReading, thresholdMs = CLOCK_JUMP_THRESHOLD_MS): number {
	const jump = after.wall - before.wall - (after.mono - before.mono);
	return Math.abs(jump) > thresholdMs ? jump : 0;
}
