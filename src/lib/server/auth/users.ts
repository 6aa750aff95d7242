import { toLang, type Lang } from '$lib/shared/languages';
import type { Db } from '../store/db';
import { pruneCutoff, pruneLimit, type PruneResult } from '../domain/time/retention';
import type { Role } from './roles';

export interface UserRow {
	id: number;
	username: string;
	password_hash: string;
	role: Role;
	lang: Lang;
	disabled: number;
}

/** SQL for users; nothing else touches the users table. */
export class UserRepo {
	constructor(private readonly db: Db) {}

	byName(username: string): UserRow | undefined {
		return withKnownLang(this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined);
	}

	byId(id: number): UserRow | undefined {
		return withKnownLang(this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined);
	}

	create(username: string, passwordHash: string, role: Role, now: number): number {
		const result = this.db
			.prepare('INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)')
			.run(username, passwordHash, role, now);
		return Number(result.lastInsertRowid);
	}

	setPasswordHash(id: number, passwordHash: string): void {
		this.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, id);
	}

	setLang(id: number, lang: Lang): void {
		this.db.prepare('UPDATE users SET lang = ? WHERE id = ?').run(lang, id);
	}
}

/**
 * The stored language is a code, not checked by the database (migration 8): one no longer in the list of
 * languages reads as English, so a user is never left with a language the screens cannot show.
 */
function withKnownLang(row: UserRow | undefined): UserRow | undefined {
	return row && { ...row, lang: toLang(row.lang) };
}

export interface SessionRow {
	id: string;
	user_id: number;
	expires_at: number;
	revoked_at: number | null;
}

export class SessionRepo {
	constructor(private readonly db: Db) {}

	create(id: string, userId: number, now: number, expiresAt: number): void {
		this.db.prepare('INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(id, userId, now, expiresAt);
	}

	get(id: string): SessionRow | undefined {
		return this.db.prepare('SELECT id, user_id, expires_at, revoked_at FROM sessions WHERE id = ?').get(id) as SessionRow | undefined;
	}

	revoke(id: string, now: number): boolean {
		return this.db.prepare('UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id).changes > 0;
	}

	/**
	 * Deletes sessions that ended more than `keepMs` before the newest session began (or before now, if that
	 * is earlier: a clock set ahead ends no session early), at most `PRUNE_MAX_SHARE` of them in one go.
	 */
	prune(now: number, keepMs: number): PruneResult {
		const { newest, rows } = this.db.prepare('SELECT MAX(created_at) AS newest, COUNT(*) AS rows FROM sessions').get() as { newest: number | null; rows: number };
		const cutoff = pruneCutoff(now, newest, keepMs);
		const limit = pruneLimit(rows);
		if (cutoff === null) return { removed: 0, cutoff, limit };
		const removed = this.db
			.prepare(
				`DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE expires_at < @cutoff OR (revoked_at IS NOT NULL AND revoked_at < @cutoff)
				 ORDER BY MIN(expires_at, COALESCE(revoked_at, expires_at)) LIMIT @limit)`
			)
			.run({ cutoff, limit }).changes;
		return { removed, cutoff, limit };
	}
}
