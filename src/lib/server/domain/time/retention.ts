/**
 * Retention that a wrong clock cannot turn into data loss. The reference is the newest row, not the wall
 * clock alone: a clock set years ahead makes no row look old, and one prune may take only a bounded share of
 * a table, so even a bad reference (rows written while the clock was wrong) costs little before someone sees
 * the clock-jump alarm.
 */

/** At most this share of a table's rows is deleted by one prune (0.05 = 5 %). */
export const PRUNE_MAX_SHARE = 0.05;

/** What one prune did. `cutoff` is null when the table was empty. */
export interface PruneResult {
	removed: number;
	cutoff: number | null;
	limit: number;
}

/**
 * The time before which rows may go: `retentionMs` before the newest row, or before now if the newest row
 * is stamped later than now. Epoch ms; null for an empty table (nothing to prune).
 */
export function pruneCutoff(now: number, newestTs: number | null, retentionMs: number): number | null {
	if (newestTs === null) return null;
	return Math.min(now, newestTs) - retentionMs;
}

/** How many of `rows` one prune may delete: `share` of them, rounded up (so a small table still ages out). */
export function pruneLimit(rows: number, share = PRUNE_MAX_SHARE): number {
	return Math.ceil(rows * share);
}
