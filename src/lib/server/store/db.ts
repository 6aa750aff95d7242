import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrations } from './migrations';

export type Db = Database.Database;

/**
 * Opens (and creates) the SQLite database and brings its schema up to date.
 * WAL with synchronous=FULL: an operator's action is on disk before its HTTP response is sent,
 * so a kill -9 right after never loses it.
 * @param file a path, or ':memory:' for tests
 */
export function openDatabase(file: string): Db {
	if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
	const db = new Database(file);
	db.pragma('journal_mode = WAL');
	db.pragma('synchronous = FULL');
	db.pragma('foreign_keys = ON');
	db.pragma('busy_timeout = 5000');
	migrate(db);
	return db;
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
