import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { StorageIntegrityValue } from '../domain/alarms/system';
import type { Logger } from '../log';
import { configure, createPrivately, DATA_DIR_MODE, DB_FILE_MODE, migrate, openDatabase, type Db } from './db';
import { describeError, isDamage } from './storage-errors';

/** Lines of `PRAGMA quick_check` output kept for the log and health when the check fails. */
export const QUICK_CHECK_MAX_ERRORS = 20;

/** Which file on disk the open database is: a deleted or replaced file has another identity (or none). */
export interface FileIdentity {
	dev: number;
	ino: number;
}

export interface OpenedStorage {
	db: Db;
	/** Path of hmi.db. */
	file: string;
	/** `ok`; `damaged`: quick_check found errors, the database is used as far as it goes; `unusable`: the file could not be opened, the server runs on an in-memory database. */
	integrity: StorageIntegrityValue;
	/** What quick_check reported, or why the file could not be used; empty when all is well. */
	problems: string[];
	quickCheckMs: number;
	/** The file's identity when it was opened; null when running in memory. */
	identity: FileIdentity | null;
}

/**
 * Opens the HMI's database for the server, so that a bad disk never stops it starting (a crash loop shows
 * nothing to anyone): the data directory is made 0700 and the files 0600 (tightened and logged if they
 * were looser), `PRAGMA quick_check` runs, a damaged database is used as far as it goes, and one that cannot
 * be opened at all is left untouched on disk while the server runs on an empty in-memory database. Each case
 * is logged with what to do; the system alarms say it on every screen.
 * @param prepare runs on the connection first (tests use it to make the disk look full from the start)
 */
export function openStorage(dataDir: string, log: Logger, prepare?: (db: Db) => void): OpenedStorage {
	const file = path.join(dataDir, 'hmi.db');
	try {
		securePaths(dataDir, file, log);
	} catch (err) {
		log.error({ dataDir, err: describeError(err) }, 'storage: the data directory cannot be prepared');
	}
	let db: Db | undefined;
	try {
		db = new Database(file);
		prepare?.(db);
		configure(db);
		const started = performance.now();
		const problems = quickCheck(db);
		const quickCheckMs = performance.now() - started;
		if (problems.length > 0) {
			log.error(
				{ file, problems },
				'storage: the database failed its integrity check (quick_check); it is used as far as it goes. Stop the server and restore hmi.db from a backup, or recover it with sqlite3 ".recover"'
			);
		} else {
			log.info({ file, ms: Math.round(quickCheckMs) }, 'storage: database integrity check passed');
		}
		migrate(db);
		const { dev, ino } = fs.statSync(file);
		return { db, file, integrity: problems.length > 0 ? 'damaged' : 'ok', problems, quickCheckMs, identity: { dev, ino } };
	} catch (err) {
		try {
			db?.close();
		} catch {
			// Already unusable; the in-memory database takes over below.
		}
		const { code, message } = describeError(err);
		log.error(
			{ file, code, message },
			'storage: the database cannot be used; the server runs on an empty in-memory database and nothing is kept after a restart. The file is left as it is: restore hmi.db from a backup (or move it aside to start afresh) and restart'
		);
		const memory = openDatabase(':memory:');
		return { db: memory, file, integrity: 'unusable', problems: [`${code}: ${message}`], quickCheckMs: 0, identity: null };
	}
}

/** What `PRAGMA quick_check` finds wrong (empty: nothing). A check that stops on a damaged page is a finding too. */
function quickCheck(db: Db): string[] {
	try {
		const rows = db.pragma(`quick_check(${QUICK_CHECK_MAX_ERRORS})`) as { quick_check: string }[];
		return rows.map((r) => r.quick_check).filter((line) => line !== 'ok');
	} catch (err) {
		if (!isDamage(err)) throw err;
		const { code, message } = describeError(err);
		return [`${code}: ${message}`];
	}
}

/** The data directory 0700, hmi.db and its -wal/-shm 0600: created so, or tightened (and logged) at start. */
function securePaths(dataDir: string, file: string, log: Logger): void {
	createPrivately(file);
	tighten(dataDir, DATA_DIR_MODE, log);
	for (const f of [file, `${file}-wal`, `${file}-shm`]) tighten(f, DB_FILE_MODE, log);
}

function tighten(target: string, mode: number, log: Logger): void {
	let current: number;
	try {
		current = fs.statSync(target).mode & 0o777;
	} catch {
		return; // -wal / -shm need not exist
	}
	if ((current & ~mode) === 0) return;
	try {
		fs.chmodSync(target, mode);
		log.warn({ path: target, was: current.toString(8), now: mode.toString(8) }, 'storage: permissions were wider than needed and have been tightened');
	} catch (err) {
		log.error({ path: target, mode: current.toString(8), err: describeError(err) }, 'storage: permissions are wider than needed and could not be tightened');
	}
}
