import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BROKER_ACCOUNTS_FILE } from '../connectors/broker-accounts';

/** What a backup holds besides the database: the session key, the broker's accounts, OPC UA certificates and trust. */
export const BACKUP_FILES = ['session.key', BROKER_ACCOUNTS_FILE] as const;
export const BACKUP_FOLDERS = ['pki'] as const;

export interface BackupResult {
	folder: string;
	/** Paths relative to the folder. */
	copied: string[];
}

/**
 * Copies what the HMI keeps in its data folder to `target` (created, mode 0700; files 0600): `hmi.db` as
 * a consistent snapshot (`VACUUM INTO`) while the server runs and writes, plus the session key, the
 * broker's accounts and the OPC UA certificate store. What is not there is skipped.
 * @throws when `target` exists and is not empty (a backup never overwrites one)
 */
export async function backupDataDir(dataDir: string, target: string): Promise<BackupResult> {
	if (fs.existsSync(target) && fs.readdirSync(target).length > 0) throw new Error(`${target} is not empty; give a new folder`);
	fs.mkdirSync(target, { recursive: true, mode: 0o700 });
	const copied: string[] = [];
	const db = path.join(dataDir, 'hmi.db');
	if (fs.existsSync(db)) {
		const source = new Database(db, { readonly: true, fileMustExist: true });
		try {
			// One read transaction: a consistent snapshot however busy the server is (the online backup API
			// starts over whenever another connection writes, and the server writes several times a second).
			source.prepare('VACUUM INTO ?').run(path.join(target, 'hmi.db'));
		} finally {
			source.close();
		}
		fs.chmodSync(path.join(target, 'hmi.db'), 0o600);
		copied.push('hmi.db');
	}
	for (const file of BACKUP_FILES) {
		const from = path.join(dataDir, file);
		if (!fs.existsSync(from)) continue;
		fs.copyFileSync(from, path.join(target, file));
		fs.chmodSync(path.join(target, file), 0o600);
		copied.push(file);
	}
	for (const folder of BACKUP_FOLDERS) {
		const from = path.join(dataDir, folder);
		if (!fs.existsSync(from)) continue;
		// Not the certificate manager's lock file: a copy of a held lock would stall a server started from the backup.
		fs.cpSync(from, path.join(target, folder), { recursive: true, filter: (file) => !file.endsWith('.lock') });
		copied.push(`${folder}/`);
	}
	return { folder: target, copied };
}
