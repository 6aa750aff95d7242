import Database from 'better-sqlite3';
import fs from 'node:fs';

/**
 * Zeroes, in a real database file that no connection has open, the root page of a table or index (`name`
 * as in `sqlite_master`, e.g. `sqlite_autoindex_users_1`): a damaged page, as a disk fault leaves it. The
 * file must have been closed cleanly (its WAL checkpointed), so the page is read from the file itself.
 * @returns puts the page's old bytes back (a read error that passes: a connection that cached the zeroed
 * page must drop it, `PRAGMA shrink_memory`, before it reads the page again)
 */
export function damageRootPage(file: string, name: string): () => void {
	const db = new Database(file, { readonly: true });
	let root: number | undefined;
	let pageSize: number;
	try {
		root = db.prepare('SELECT rootpage FROM sqlite_master WHERE name = ?').pluck().get(name) as number | undefined;
		pageSize = db.pragma('page_size', { simple: true }) as number;
	} finally {
		db.close();
	}
	if (!root) throw new Error(`no table or index ${name} in ${file}`);
	const offset = (root - 1) * pageSize;
	const fd = fs.openSync(file, 'r+');
	const before = Buffer.alloc(pageSize);
	try {
		fs.readSync(fd, before, 0, pageSize, offset);
		fs.writeSync(fd, Buffer.alloc(pageSize, 0), 0, pageSize, offset);
	} finally {
		fs.closeSync(fd);
	}
	return () => {
		const again = fs.openSync(file, 'r+');
		try {
			fs.writeSync(again, before, 0, pageSize, offset);
		} finally {
			fs.closeSync(again);
		}
	};
}
