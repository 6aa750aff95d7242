import type { Statement } from 'better-sqlite3';
import { deletableStamps, newestCorrected, pruneCutoff, pruneLimit, stampPieces, type PresentTime, type PruneResult } from '../domain/time/retention';
import type { Db } from './db';
import type { RowCount } from './row-count';

/** A table pruned by a time stamp column. */
export interface StampedTable {
	/** `(from, to)` → the newest stamp in [from, to), or null (a plucked statement). */
	newestIn: Statement;
	/** `(from, to, limit)` → deletes at most `limit` rows stamped in [from, to), oldest first. */
	deleteIn: Statement;
	rows: RowCount;
}

/**
 * Deletes the rows older than `retentionMs` in corrected time (see domain/time/retention.ts): never a row
 * newer than the newest row minus the retention, at most `PRUNE_MAX_SHARE` of the table, oldest stamps first,
 * in one transaction. Raw SQL: the caller runs it through the storage guard.
 */
export function pruneStamped(db: Db, table: StampedTable, time: PresentTime, retentionMs: number): PruneResult {
	return db.transaction((): PruneResult => {
		const pieces = stampPieces(time.jumps, time.now + time.aheadMs);
		const newest = newestCorrected(pieces, (from, to) => table.newestIn.get(from, to) as number | null);
		const cutoff = pruneCutoff(time.now, newest, retentionMs);
		if (cutoff === null) return { removed: 0, cutoff, limit: 0 };
		const limit = pruneLimit(table.rows.get());
		let removed = 0;
		for (const [from, to] of deletableStamps(pieces, cutoff)) {
			if (removed >= limit) break;
			removed += table.deleteIn.run(from, to, limit - removed).changes;
		}
		table.rows.add(-removed);
		return { removed, cutoff, limit };
	})();
}
