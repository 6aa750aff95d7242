/**
 * Retention that a wrong clock cannot turn into data loss.
 *
 * Rows are stamped by the wall clock, and the wall clock jumps. A row's age is only meaningful in the frame
 * of the clock that stamped it, so ages are counted in corrected time: every jump the HMI found is remembered
 * (`ClockJump`), and a row stamped before a jump of J is J younger than its stamp says (J negative: older).
 * That keeps rows stamped before a forward jump, and the rows stamped after it by the wrong clock (which are
 * the newest rows) cannot push the cutoff forward; the same correction ages rows stamped by a clock that was
 * wrong until NTP set it right.
 *
 * Two further guards for a jump nobody saw (the machine rebooted with a wrong clock): nothing newer than the
 * newest row minus the retention goes, and one prune takes at most a bounded share of a table.
 */

/** At most this share of a table's rows is deleted by one prune (0.05 = 5 %). */
export const PRUNE_MAX_SHARE = 0.05;
/**
 * With more remembered clock jumps than this, nothing is pruned (logged) until old ones age out: a clock
 * that steps this often makes every time stamp doubtful, and each jump costs every prune a little work.
 */
export const CLOCK_JUMPS_MAX = 10_000;

/** What one prune did. `cutoff` is null when the table was empty. */
export interface PruneResult {
	removed: number;
	/** Rows older than this went (epoch ms in the clock's present time, corrected for jumps). */
	cutoff: number | null;
	limit: number;
}

/** A step of the wall clock, as the HMI found it. */
export interface ClockJump {
	/** The wall clock before the jump (its last reading before it, or when the HMI last saw it), epoch ms. */
	before: number;
	/** The wall clock when the jump was found, epoch ms (the clock's time after it). */
	after: number;
	/** How far the wall clock stepped, ms: positive forward. */
	delta: number;
}

/** What retention needs to know of the clock. */
export interface PresentTime {
	/** The wall clock now, epoch ms. */
	now: number;
	/** The jumps the HMI found, oldest first. */
	jumps: readonly ClockJump[];
	/** How far ahead of the clock a source may stamp, ms (its stamps are still the present's). */
	aheadMs: number;
}

/** A stretch of time stamps [from, to) whose rows are `correction` ms younger than they look (negative: older). */
export interface StampPiece {
	from: number;
	to: number;
	correction: number;
}

/** Time stamps below and above every real one (and within a double's exact integers). */
export const STAMP_MIN = -Number.MAX_SAFE_INTEGER;
export const STAMP_MAX = Number.MAX_SAFE_INTEGER;

/**
 * Splits the time stamps into pieces, each with the correction that turns its stamps into the clock's present
 * time. Jumps are given oldest first. Between two jumps the clock stamped `[before₁ + delta₁, after₂ − delta₂]`
 * (the first stamp the new time could give, the last the old time could have given before it was found), and
 * its rows are corrected by the sum of the later jumps; since the last jump, up to `presentUntil`. After a
 * step back these stretches overlap: a stamp there is given the largest of the corrections that may apply,
 * so a row is only ever taken for younger than it is — kept too long, never deleted early. Stamps no stretch
 * covers (the gap a forward jump leaves, where only a source's own clock stamps) get the larger correction
 * of the stretches on either side, and never less than none, for the same reason.
 * @param presentUntil the latest stamp the clock in its present time can have given (now, plus how far ahead
 * a source may stamp)
 */
export function stampPieces(jumps: readonly ClockJump[], presentUntil: number): StampPiece[] {
	const n = jumps.length;
	const corrections = new Array<number>(n + 1).fill(0);
	for (let k = n - 1; k >= 0; k--) corrections[k] = corrections[k + 1] + jumps[k].delta;
	// Stretch k is the clock's time between jump k and jump k + 1 (0: before the first, n: since the last).
	const stretches = corrections.map((correction, k) => ({
		from: k === 0 ? STAMP_MIN : jumps[k - 1].before + jumps[k - 1].delta,
		to: k === n ? presentUntil + 1 : jumps[k].after - jumps[k].delta + 1,
		correction
	}));
	const bounds = [...new Set([STAMP_MIN, STAMP_MAX, ...stretches.flatMap((s) => [s.from, s.to])].filter((b) => b >= STAMP_MIN && b <= STAMP_MAX))].sort((a, b) => a - b);
	const pieces: StampPiece[] = [];
	for (let i = 0; i + 1 < bounds.length; i++) {
		const [from, to] = [bounds[i], bounds[i + 1]];
		let correction = Number.NEGATIVE_INFINITY;
		for (const s of stretches) if (s.from <= from && to <= s.to && s.correction > correction) correction = s.correction;
		if (correction === Number.NEGATIVE_INFINITY) correction = Math.max(0, ...stretches.filter((s) => s.to === from || s.from === to).map((s) => s.correction));
		const last = pieces.at(-1);
		if (last && last.correction === correction) last.to = to;
		else pieces.push({ from, to, correction });
	}
	return pieces;
}

/**
 * The newest row's time in the clock's present time.
 * @param newestIn the newest stamp in [from, to), or null when there is none
 */
export function newestCorrected(pieces: readonly StampPiece[], newestIn: (from: number, to: number) => number | null): number | null {
	let newest: number | null = null;
	for (const p of pieces) {
		const stamp = newestIn(p.from, p.to);
		if (stamp !== null && (newest === null || stamp + p.correction > newest)) newest = stamp + p.correction;
	}
	return newest;
}

/**
 * The cutoff in present time: `retentionMs` before now, or before the newest row if that is earlier (a row
 * stamped later than now counts as now). Null for an empty table (nothing to prune).
 */
export function pruneCutoff(now: number, newest: number | null, retentionMs: number): number | null {
	if (newest === null) return null;
	return Math.min(now, newest) - retentionMs;
}

/**
 * The stamps [from, to) whose rows are older than `cutoff` in present time, oldest first, touching stretches
 * joined.
 */
export function deletableStamps(pieces: readonly StampPiece[], cutoff: number): [from: number, to: number][] {
	const ranges: [number, number][] = [];
	for (const p of pieces) {
		const to = Math.min(p.to, cutoff - p.correction);
		if (to <= p.from) continue;
		const last = ranges.at(-1);
		if (last && last[1] === p.from) last[1] = to;
		else ranges.push([p.from, to]);
	}
	return ranges;
}

/**
 * How many of the oldest jumps no longer matter: those before which no row is stamped any more. Forgetting
 * one then changes no row's correction (its stretch, and the gap a forward jump leaves, hold no row).
 * @param oldestStamp the oldest stamp left in the tables the jumps correct, or null when they are empty
 */
export function jumpsToForget(jumps: readonly ClockJump[], oldestStamp: number | null): number {
	let count = 0;
	for (const jump of jumps) {
		// Above both the last stamp the old time could have given and the first the new time could give.
		const bound = Math.max(jump.after - jump.delta + 1, jump.before + jump.delta);
		if (oldestStamp !== null && oldestStamp < bound) break;
		count++;
	}
	return count;
}

/** How many of `rows` one prune may delete: `share` of them, rounded up (so a small table still ages out). */
export function pruneLimit(rows: number, share = PRUNE_MAX_SHARE): number {
	return Math.ceil(rows * share);
}
