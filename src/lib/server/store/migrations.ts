/**
 * Schema migrations, applied in order; the database's `user_version` is how many have run.
 * Never edit a migration that has shipped: add a new one.
 */
export const migrations: string[] = [
	// 1: users and sessions
	`CREATE TABLE users (
		id INTEGER PRIMARY KEY,
		username TEXT NOT NULL UNIQUE COLLATE NOCASE,
		password_hash TEXT NOT NULL,
		role TEXT NOT NULL CHECK (role IN ('operator', 'maintenance', 'manager', 'admin')),
		lang TEXT NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'nl')),
		disabled INTEGER NOT NULL DEFAULT 0,
		created_at INTEGER NOT NULL
	);
	CREATE TABLE sessions (
		id TEXT PRIMARY KEY,
		user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		created_at INTEGER NOT NULL,
		expires_at INTEGER NOT NULL,
		revoked_at INTEGER
	);
	CREATE INDEX sessions_user ON sessions(user_id);`
];
