import { Quality } from '$lib/shared/protocol';
import type { Clock } from '../clock';
import { SYSTEM_TAGS, type ClockJumpValue } from '../domain/alarms/system';
import { clockJump, CLOCK_JUMP_THRESHOLD_MS, type ClockReading } from '../domain/time/clock-jump';
import type { TagStore } from '../domain/tags/tag-store';
import type { Logger } from '../log';

/** How often the wall clock is compared with the monotonic clock, ms. */
export const CLOCK_CHECK_MS = 5000;
/** How long `_sys/hmi/clock/jump` says `forward`/`backward` after a jump, ms (then the alarm returns to normal, unacknowledged). */
export const CLOCK_JUMP_HOLD_MS = 10 * 60_000;

export interface ClockHealth {
	jumps: number;
	/** The last jump: its size (ms, negative = back) and the wall-clock time after it. */
	last: { jumpMs: number; at: number } | null;
	thresholdMs: number;
}

/**
 * Watches the wall clock against the monotonic clock and says when it jumped (logged, counted, and the tag
 * `_sys/hmi/clock/jump` that drives the `clock_jump` system alarm). Timestamps, retention and delays all
 * read the wall clock, so a jump must be visible to someone.
 */
export class ClockWatch {
	#reading: ClockReading;
	#jumps = 0;
	#last: { jumpMs: number; at: number; mono: number } | null = null;
	readonly #timer: unknown;

	constructor(
		private readonly store: TagStore,
		private readonly clock: Clock,
		private readonly log: Logger,
		private readonly thresholdMs = CLOCK_JUMP_THRESHOLD_MS
	) {
		this.#reading = this.#read();
		this.#publish('ok');
		this.#timer = clock.setInterval(() => this.check(), CLOCK_CHECK_MS);
	}

	/** Compares the clocks now; returns the jump found (0 for none). */
	check(): number {
		const reading = this.#read();
		const jump = clockJump(this.#reading, reading, this.thresholdMs);
		this.#reading = reading;
		if (jump !== 0) {
			this.#jumps++;
			this.#last = { jumpMs: jump, at: reading.wall, mono: reading.mono };
			this.log.warn(
				{ jumpMs: jump, now: new Date(reading.wall).toISOString() },
				`clock: the system clock jumped ${jump > 0 ? 'forward' : 'back'} by ${Math.round(Math.abs(jump) / 1000)} s; timestamps around it are not comparable, and pruning waits`
			);
			this.#publish(jump > 0 ? 'forward' : 'backward');
		} else if (this.#last && reading.mono - this.#last.mono >= CLOCK_JUMP_HOLD_MS) {
			this.#publish('ok');
		}
		return jump;
	}

	/** Monotonic ms since the last jump, or null when none was seen since the start. */
	sinceLastJump(): number | null {
		return this.#last ? this.clock.monotonic() - this.#last.mono : null;
	}

	health(): ClockHealth {
		return { jumps: this.#jumps, last: this.#last && { jumpMs: this.#last.jumpMs, at: this.#last.at }, thresholdMs: this.thresholdMs };
	}

	stop(): void {
		this.clock.clearInterval(this.#timer);
	}

	#read(): ClockReading {
		return { wall: this.clock.now(), mono: this.clock.monotonic() };
	}

	#publish(value: ClockJumpValue): void {
		if (this.store.get(SYSTEM_TAGS.clockJump)?.value === value) return;
		const now = this.clock.now();
		this.store.apply({ path: SYSTEM_TAGS.clockJump, value, quality: Quality.Good, sourceTs: now, serverTs: now, origin: 'system' });
	}
}
