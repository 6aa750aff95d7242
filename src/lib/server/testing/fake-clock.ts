import type { Clock } from '../clock';

interface Timer {
	id: number;
	/** Monotonic time at which it falls due. */
	at: number;
	fn: () => void;
	every?: number;
}

/**
 * A clock for tests: time stands still until `advance` moves it, running due timers in order.
 * `setImmediate` callbacks run on `flushImmediates()` or at the start of `advance`.
 * Timers follow monotonic time, as Node's do; `jump` moves only the wall clock (an NTP step, someone
 * setting the clock), so a test can show what a jump does to code that reads `now()`.
 */
export class FakeClock implements Clock {
	#mono = 0;
	/** Wall clock minus monotonic clock. */
	#offset: number;
	#timers: Timer[] = [];
	#immediates: (() => void)[] = [];
	#nextId = 1;

	constructor(start = Date.UTC(2026, 10, 24, 6, 0, 0)) {
		this.#offset = start;
	}

	now = (): number => this.#mono + this.#offset;
	monotonic = (): number => this.#mono;

	setTimeout = (fn: () => void, ms: number): unknown => this.#add(fn, ms);
	setInterval = (fn: () => void, ms: number): unknown => this.#add(fn, ms, Math.max(1, ms));
	clearTimeout = (h: unknown): void => {
		this.#timers = this.#timers.filter((t) => t.id !== h);
	};
	clearInterval = this.clearTimeout;
	setImmediate = (fn: () => void): unknown => {
		this.#immediates.push(fn);
		return fn;
	};

	/** Runs every pending setImmediate callback (and those they schedule). */
	flushImmediates(): void {
		while (this.#immediates.length > 0) this.#immediates.shift()!();
	}

	/** Moves time forward by `ms`, running immediates and every timer that falls due, in time order. */
	advance(ms: number): void {
		const end = this.#mono + ms;
		this.flushImmediates();
		for (;;) {
			const due = this.#timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
			if (!due) break;
			this.#mono = Math.max(this.#mono, due.at);
			if (due.every) due.at += due.every;
			else this.#timers = this.#timers.filter((t) => t !== due);
			due.fn();
			this.flushImmediates();
		}
		this.#mono = end;
	}

	/** Steps the wall clock by `ms` (negative: back) without time passing; no timer runs. */
	jump(ms: number): void {
		this.#offset += ms;
	}

	#add(fn: () => void, ms: number, every?: number): number {
		const id = this.#nextId++;
		this.#timers.push({ id, at: this.#mono + Math.max(0, ms), fn, every });
		return id;
	}
}
