import { Quality } from '$lib/shared/protocol';
import type { BootClock } from '../boot-clock';
import type { Clock } from '../clock';
import { SYSTEM_TAGS, type ClockJumpValue } from '../domain/alarms/system';
import { clockJump, CLOCK_JUMP_THRESHOLD_MS, jumpWhileDown, type BootReading, type ClockReading } from '../domain/time/clock-jump';
import { newestCorrected, stampPieces, type ClockJump } from '../domain/time/retention';
import type { TagStore } from '../domain/tags/tag-store';
import type { Logger } from '../log';
import type { ClockStore, JumpFoundHow } from '../store/clock-store';
import type { StorageGuard } from '../store/storage-guard';

/** How often the wall clock is compared with the monotonic clock, ms. */
export const CLOCK_CHECK_MS = 5000;
/** How long `_sys/hmi/clock/jump` says `forward`/`backward` after a jump, ms (then the alarm returns to normal, unacknowledged). */
export const CLOCK_JUMP_HOLD_MS = 10 * 60_000;
/**
 * How often the wall clock is noted against the time since boot, ms (also at start, after a jump and at
 * stop). The next start compares with the note; noting often keeps NTP's slow corrections out of it.
 */
export const CLOCK_NOTE_EVERY_MS = 10 * 60_000;

export interface ClockHealth {
	/** Jumps found since the start (while running, or at start for the time the server was down). */
	jumps: number;
	/** The last of them: its size (ms, negative = back), the wall-clock time after it, and how it was found. */
	last: { jumpMs: number; at: number; how: JumpFoundHow } | null;
	/** Jumps remembered for retention (null: they could not be read from the database). */
	remembered: number | null;
	thresholdMs: number;
}

export interface ClockWatchOptions {
	store: TagStore;
	clock: Clock;
	/** The machine's time since boot: finds a jump while the server was down. */
	boot: BootClock;
	/** Remembers the jumps and the clock's note in the database, through `guard`. */
	clocks: ClockStore;
	guard: StorageGuard;
	log: Logger;
	thresholdMs?: number;
}

/**
 * Watches the wall clock and says when it jumped: while running, against the monotonic clock; at start,
 * against the note the last run left (see `jumpWhileDown`). A jump is logged, counted, raises the
 * `clock_jump` system alarm (through `_sys/hmi/clock/jump`), and is remembered in the database, where
 * retention reads it to count ages in corrected time — so rows stamped by a wrong clock never make right
 * ones look old, also after a restart.
 */
export class ClockWatch {
	#reading: ClockReading;
	#count = 0;
	#last: { jumpMs: number; at: number; how: JumpFoundHow; mono: number } | null = null;
	/** The remembered jumps, oldest first; null while they cannot be read. */
	#jumps: ClockJump[] | null;
	/** Jumps found while the remembered ones could not be read: added to them once they can. */
	#unread: ClockJump[] = [];
	readonly #thresholdMs: number;
	readonly #timers: unknown[];

	constructor(private readonly opts: ClockWatchOptions) {
		const { clock, guard, clocks } = opts;
		this.#thresholdMs = opts.thresholdMs ?? CLOCK_JUMP_THRESHOLD_MS;
		this.#reading = this.#read();
		this.#jumps = this.#load();
		const anchor = guard.read('clock note', () => clocks.anchor(), null);
		// Only without a note (a first start): the newest row the HMI stamped, in corrected time, so rows a clock
		// stamped before a remembered step back are not taken for ahead of it. Not without the remembered jumps.
		const known = this.#jumps;
		const newestRow = () =>
			known && guard.read('newest time stamps', () => newestCorrected(stampPieces(known, clock.now()), (from, to) => clocks.newestOwnStamp(from, to)), null);
		const found = jumpWhileDown(anchor, newestRow, this.#bootReading(), this.#thresholdMs);
		this.#publish('ok');
		if (found) {
			const { how, ...jump } = found;
			opts.log.warn(
				{ jumpMs: jump.delta, lastSeen: new Date(jump.before).toISOString(), now: new Date(jump.after).toISOString(), how },
				how === 'same-boot'
					? `clock: the system clock was set ${jump.delta > 0 ? 'forward' : 'back'} by ${Math.round(Math.abs(jump.delta) / 1000)} s while the server was not running; retention corrects for it`
					: `clock: the system clock reads ${Math.round(-jump.delta / 1000)} s earlier than the latest time the server saw before it stopped: it was set back (or the machine's clock is wrong); retention corrects for it`
			);
			this.#found(jump, how);
		}
		this.#note();
		this.#timers = [clock.setInterval(() => this.check(), CLOCK_CHECK_MS), clock.setInterval(() => this.#note(), CLOCK_NOTE_EVERY_MS)];
	}

	/** Compares the clocks now; returns the jump found (0 for none). */
	check(): number {
		const reading = this.#read();
		const jump = clockJump(this.#reading, reading, this.#thresholdMs);
		const before = this.#reading;
		this.#reading = reading;
		if (jump !== 0) {
			this.opts.log.warn(
				{ jumpMs: jump, now: new Date(reading.wall).toISOString() },
				`clock: the system clock jumped ${jump > 0 ? 'forward' : 'back'} by ${Math.round(Math.abs(jump) / 1000)} s; retention corrects for it`
			);
			this.#found({ before: before.wall, after: reading.wall, delta: jump }, 'running');
			this.#note();
		} else if (this.#last && reading.mono - this.#last.mono >= CLOCK_JUMP_HOLD_MS) {
			this.#publish('ok');
		}
		return jump;
	}

	/** The remembered jumps, oldest first (read again if they could not be before); null while they cannot be read. */
	jumps(): readonly ClockJump[] | null {
		if (this.#jumps === null) this.#jumps = this.#load();
		return this.#jumps;
	}

	/** Forgets the `count` oldest jumps (no row stamped before them is within any retention any more). */
	forgetOldest(count: number): void {
		if (!this.#jumps || count <= 0) return;
		this.#jumps.splice(0, count);
		this.opts.guard.write('clock', { forgetOldestJumps: count }, () => this.opts.clocks.forgetOldest(count));
	}

	health(): ClockHealth {
		const last = this.#last && { jumpMs: this.#last.jumpMs, at: this.#last.at, how: this.#last.how };
		return { jumps: this.#count, last, remembered: this.#jumps?.length ?? null, thresholdMs: this.#thresholdMs };
	}

	/** Stops the checks and notes the clock a last time. */
	stop(): void {
		for (const timer of this.#timers) this.opts.clock.clearInterval(timer);
		this.#note();
	}

	#found(jump: ClockJump, how: JumpFoundHow): void {
		this.#count++;
		this.#last = { jumpMs: jump.delta, at: jump.after, how, mono: this.opts.clock.monotonic() };
		(this.#jumps ?? this.#unread).push(jump);
		this.opts.guard.write('clock', { jump, how }, () => this.opts.clocks.addJump(jump, how));
		this.#publish(jump.delta > 0 ? 'forward' : 'backward');
	}

	/** The remembered jumps from the database, with any found while they could not be read; null on failure. */
	#load(): ClockJump[] | null {
		const stored = this.opts.guard.read('clock jumps', () => this.opts.clocks.jumps(), null);
		if (!stored) return null;
		const same = (a: ClockJump, b: ClockJump) => a.before === b.before && a.after === b.after && a.delta === b.delta;
		for (const jump of this.#unread.splice(0)) if (!stored.some((s) => same(s, jump))) stored.push(jump);
		return stored;
	}

	/** Notes the clock against the time since boot (a row that replaces itself). */
	#note(): void {
		const reading = this.#bootReading();
		this.opts.guard.write('clock', { note: reading }, () => this.opts.clocks.saveAnchor(reading), { key: 'note' });
	}

	#read(): ClockReading {
		return { wall: this.opts.clock.now(), mono: this.opts.clock.monotonic() };
	}

	#bootReading(): BootReading {
		return { wall: this.opts.clock.now(), bootId: this.opts.boot.bootId(), sinceBoot: this.opts.boot.sinceBootMs() };
	}

	#publish(value: ClockJumpValue): void {
		const { store, clock } = this.opts;
		if (store.get(SYSTEM_TAGS.clockJump)?.value === value) return;
		const now = clock.now();
		store.apply({ path: SYSTEM_TAGS.clockJump, value, quality: Quality.Good, sourceTs: now, serverTs: now, origin: 'system' });
	}
}
