import path from 'node:path';
import type { Config } from '../config';
import { systemClock } from '../clock';
import type { Logger } from '../log';
import { openDatabase } from '../store/db';
import { AuditLog } from '../store/audit-log';
import { StorageGuard } from '../store/storage-guard';
import { AuthService } from './auth-service';
import { loadSessionKey } from './secret';
import { UserAdminService, type UserAdminResult } from './user-admin-service';
import { CLI_ACTOR } from './user-rules';

export { CLI_ACTOR };

/**
 * Creates a user directly in the server's database: how the first admin of a plant is made (outside demo
 * mode no user exists, and only an admin can create users in the app). The same rules and the same audit
 * as the admin screen; the server may be running (SQLite WAL allows it).
 */
export async function createUserInDataDir(config: Config, log: Logger, username: string, role: string, password: string): Promise<UserAdminResult> {
	const db = openDatabase(path.join(config.dataDir, 'hmi.db'));
	const guard = new StorageGuard(db, systemClock, log);
	try {
		const auth = new AuthService(db, loadSessionKey(config.dataDir, config.session.secret), config.session.ttlMs, systemClock, log);
		const users = new UserAdminService(db, auth, new AuditLog(db, guard), systemClock, log);
		return await users.create(CLI_ACTOR, username, role, password);
	} finally {
		// An audit row the database refused is logged here, not lost unseen.
		guard.stop();
		db.close();
	}
}
