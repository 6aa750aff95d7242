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

/** The wall clock against the time since the machine booted: what the HMI notes to compare with at its next start. */
export interface BootReading {
	/** Wall clock, epoch ms. */
	wall: number;
	/** Identifies the machine's boot; null where the system does not say. */
	bootId: string | null;
	/** ms since the machine booted (suspend included). */
	sinceBoot: number;
}

/** A jump found at start: how it was found, and the readings it lies between (see `ClockJump`). */
export interface JumpWhileDown {
	before: number;
	after: number;
	delta: number;
	/** `same-boot`: measured against the time since boot; `last-seen`: the clock reads earlier than the latest time the HMI saw. */
	how: 'same-boot' | 'last-seen';
}

/**
 * The jump of the wall clock while the HMI was not running. On the same boot it is measured exactly (the
 * time since boot does not jump), in both directions. After a reboot only a step back can be told: the clock
 * reads earlier than the latest time the HMI saw — its last note, or without one (a first start) the newest
 * row it stamped; the size is then at least that difference (how long the machine was off is unknown), and
 * the step is recorded that large, so rows are taken for younger than they are, never older. The note is
 * preferred to the rows because it is always in the clock's time of its day, while rows stamped before an
 * earlier step back stay ahead of the clock for good.
 * @param anchor the note from the last run, or null (first start, or not readable)
 * @param newestRow the newest row the HMI stamped, or null; read only without a note
 */
export function jumpWhileDown(anchor: BootReading | null, newestRow: () => number | null, now: BootReading, thresholdMs = CLOCK_JUMP_THRESHOLD_MS): JumpWhileDown | null {
	if (anchor && anchor.bootId !== null && anchor.bootId === now.bootId && now.sinceBoot >= anchor.sinceBoot) {
		const delta = clockJump({ wall: anchor.wall, mono: anchor.sinceBoot }, { wall: now.wall, mono: now.sinceBoot }, thresholdMs);
		return delta === 0 ? null : { before: anchor.wall, after: now.wall, delta, how: 'same-boot' };
	}
	const seen = anchor ? anchor.wall : newestRow();
	if (seen !== null && now.wall < seen - thresholdMs) return { before: seen, after: now.wall, delta: now.wall - seen, how: 'last-seen' };
	return null;
}
