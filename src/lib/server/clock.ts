/**
 * Time and timers, injected so that tests can drive hours of plant time in milliseconds.
 * Only the edges (runtime, hub, connectors) use timers; domain code takes `now` as an argument.
 */
export interface Clock {
	/** Wall-clock time, epoch ms: what timestamps are made of. It can jump (NTP step, an operator setting it). */
	now(): number;
	/**
	 * Monotonic time in ms from an arbitrary origin: never jumps, so comparing it with `now()` reveals a
	 * wall-clock jump. Timers run on this time, not on the wall clock.
	 */
	monotonic(): number;
	setTimeout(fn: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
	setInterval(fn: () => void, ms: number): unknown;
	clearInterval(handle: unknown): void;
	/** Runs `fn` once the current burst of I/O callbacks has been handled. */
	setImmediate(fn: () => void): unknown;
}

export const systemClock: Clock = {
	now: () => Date.now(),
	monotonic: () => performance.now(),
	setTimeout: (fn, ms) => {
		const t = setTimeout(fn, ms);
		t.unref?.();
		return t;
	},
	clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
	setInterval: (fn, ms) => {
		const t = setInterval(fn, ms);
		t.unref?.();
		return t;
	},
	clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
	setImmediate: (fn) => setImmediate(fn)
};
