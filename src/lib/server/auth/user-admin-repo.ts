import type { Db } from '../store/db';
import type { Role } from './roles';

/** A user as the admin screen lists them (never the password hash). */
export interface UserSummary {
	id: number;
	username: string;
	role: Role;
	enabled: boolean;
	createdAt: number;
	/** Start of the newest session we still know of (sessions are pruned a week after they end). */
	lastLoginAt: number | null;
}

interface Row {
	id: number;
	username: string;
	role: Role;
	disabled: number;
	created_at: number;
	last_login: number | null;
}

const SELECT = `SELECT u.id, u.username, u.role, u.disabled, u.created_at,
	(SELECT MAX(s.created_at) FROM sessions s WHERE s.user_id = u.id) AS last_login
	FROM users u`;

/** The SQL user administration needs beyond login (users.ts). */
export class UserAdminRepo {
	constructor(private readonly db: Db) {}

	list(): UserSummary[] {
		return (this.db.prepare(`${SELECT} ORDER BY u.username COLLATE NOCASE`).all() as Row[]).map(toSummary);
	}

	get(id: number): UserSummary | undefined {
		const row = this.db.prepare(`${SELECT} WHERE u.id = ?`).get(id) as Row | undefined;
		return row && toSummary(row);
	}

	setDisabled(id: number, disabled: boolean): void {
		this.db.prepare('UPDATE users SET disabled = ? WHERE id = ?').run(disabled ? 1 : 0, id);
	}

	setRole(id: number, role: Role): void {
		this.db.prepare('UPDATE users SET role = ? WHERE id = ?').run(role, id);
	}

	countEnabledAdmins(): number {
		return (this.db.prepare(`SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled = 0`).get() as { n: number }).n;
	}

	/** Ids of the user's sessions that are neither revoked nor expired. */
	liveSessionIds(userId: number, now: number): string[] {
		return (
			this.db.prepare('SELECT id FROM sessions WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ?').all(userId, now) as { id: string }[]
		).map((r) => r.id);
	}

	count(): number {
		return (this.db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
	}
}

function toSummary(row: Row): UserSummary {
	return {
		id: row.id,
		username: row.username,
		role: row.role,
		enabled: row.disabled === 0,
		createdAt: row.created_at,
		lastLoginAt: row.last_login
	};
}
