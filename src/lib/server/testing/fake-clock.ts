import type { Clock } from '../clock';

interface Timer {
	id: number;
	at: number;
	fn: () => void;
	every?: number;
}

/**
 * A clock for tests: time stands still until `advance` moves it, running due timers in order.
 * `setImmediate` callbacks run on `flushImmediates()` or at the start of `advance`.
 */
export class FakeClock implements Clock {
	#now: number;
	#timers: Timer[] = [];
	#immediates: (() => void)[] = [];
	#nextId = 1;

	constructor(start = Date.UTC(2026, 10, 24, 6, 0, 0)) {
		this.#now = start;
	}

	now = (): number => this.#now;

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
		const end = this.#now + ms;
		this.flushImmediates();
		for (;;) {
			const due = this.#timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
			if (!due) break;
			this.#now = Math.max(this.#now, due.at);
			if (due.every) due.at += due.every;
			else this.#timers = this.#timers.filter((t) => t !== due);
			due.fn();
			this.flushImmediates();
		}
		this.#now = end;
	}

	#add(fn: () => void, ms: number, every?: number): number {
		const id = this.#nextId++;
		this.#timers.push({ id, at: this.#now + Math.max(0, ms), fn, every });
		return id;
	}
}
