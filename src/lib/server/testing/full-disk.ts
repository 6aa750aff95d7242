import type { Db } from '../store/db';

/**
 * A full disk as SQLite sees it, on a real file: the database may not grow past its present size, so a
 * write that needs a new page fails with SQLITE_FULL, exactly as when the disk has no room left.
 */
export function capDatabase(db: Db): void {
	db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
}

/** Room again (SQLite's own upper limit). */
export function uncapDatabase(db: Db): void {
	db.pragma('max_page_count = 4294967294');
}

/**
 * Runs `insert` (raw SQL, no guard) until the database refuses with SQLITE_FULL: the pages those rows use
 * have no room left. Call after `capDatabase`.
 * @returns how many rows went in
 */
export function fillUp(insert: (i: number) => void, max = 100_000): number {
	for (let i = 0; i < max; i++) {
		try {
			insert(i);
		} catch (err) {
			if ((err as { code?: string }).code === 'SQLITE_FULL') return i;
			throw err;
		}
	}
	throw new Error(`the database still took rows after ${max}: is it capped?`);
}
