import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrations } from './migrations';

export type Db = Database.Database;

/** The data directory: only the server's own user may list or enter it. */
export const DATA_DIR_MODE = 0o700;
/** hmi.db and its -wal and -shm files: only the server's own user may read or write them. */
export const DB_FILE_MODE = 0o600;

/**
 * Opens (and creates) the SQLite database and brings its schema up to date.
 * WAL with synchronous=FULL: an operator's action is on disk before its HTTP response is sent,
 * so a kill -9 right after never loses it. A new file is created 0600 in a 0700 directory; SQLite gives
 * the -wal and -shm files the database file's mode.
 * @param file a path, or ':memory:' for tests
 */
export function openDatabase(file: string): Db {
	if (file !== ':memory:') createPrivately(file);
	const db = new Database(file);
	configure(db);
	migrate(db);
	return db;
}

/** Creates the directory (0700) and an empty database file (0600) when they do not exist yet. */
export function createPrivately(file: string): void {
	fs.mkdirSync(path.dirname(file), { recursive: true, mode: DATA_DIR_MODE });
	try {
		fs.closeSync(fs.openSync(file, 'wx', DB_FILE_MODE));
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
	}
}

/** The connection settings every database of the HMI runs with. */
export function configure(db: Db): void {
	db.pragma('journal_mode = WAL');
	db.pragma('synchronous = FULL');
	db.pragma('foreign_keys = ON');
	db.pragma('busy_timeout = 5000');
}

/** Applies the migrations newer than the database's `user_version`, each in its own transaction. */
export function migrate(db: Db): void {
	const current = db.pragma('user_version', { simple: true }) as number;
	for (let version = current; version < migrations.length; version++) {
		db.transaction(() => {
			db.exec(migrations[version]);
			db.pragma(`user_version = ${version + 1}`);
		})();
	}
}
