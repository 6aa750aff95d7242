import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The key that signs session tokens: SESSION_SECRET when given, otherwise a random key created once and
 * kept in `<dataDir>/session.key` (mode 0600), so sessions survive a restart.
 */
export function loadSessionKey(dataDir: string, configured?: string): Uint8Array {
	if (configured) return new TextEncoder().encode(configured);
	const file = path.join(dataDir, 'session.key');
	try {
		const existing = fs.readFileSync(file);
		if (existing.length >= 32) return new Uint8Array(existing);
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
	}
	fs.mkdirSync(dataDir, { recursive: true });
	const key = randomBytes(32);
	fs.writeFileSync(file, key, { mode: 0o600 });
	return new Uint8Array(key);
}
