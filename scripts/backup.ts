// Backs up the HMI's data folder while the server runs: `npm run backup -- /backups/hmi-2026-12-03`.
// DATA_DIR says which one (default: data). The database is copied as one consistent snapshot (SQLite's
// VACUUM INTO, however busy the server is); the session key, the broker's accounts and the OPC UA
// certificate store are copied as they are. The target folder must be new or empty.
import { readConfig } from '../src/lib/server/config';
import { backupDataDir } from '../src/lib/server/store/backup';

const [target] = process.argv.slice(2);
if (!target) {
	console.error('usage: npm run backup -- <new folder>');
	process.exit(2);
}
try {
	const { folder, copied } = await backupDataDir(readConfig().dataDir, target);
	console.log(`backed up to ${folder}: ${copied.join(', ')}`);
} catch (err) {
	console.error(`no backup: ${(err as Error).message}`);
	process.exit(1);
}
