import { errorStatus } from '$lib/shared/errors';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Db } from '../store/db';
import type { AuditLog } from '../store/audit-log';
import type { AuthService } from './auth-service';
import { hashPassword } from './password';
import { isRole, type Role } from './roles';
import { UserAdminRepo, type UserSummary } from './user-admin-repo';
import { checkPassword, checkUsername, type UserRuleProblem } from './user-rules';
import { UserRepo } from './users';

export type UserAdminCode =
	| UserRuleProblem
	| 'HMI_ERR_USER_EXISTS'
	| 'HMI_ERR_USER_UNKNOWN'
	| 'HMI_ERR_BAD_ROLE'
	| 'HMI_ERR_LAST_ADMIN';

export type UserAdminResult = { ok: true; user: UserSummary } | { ok: false; status: number; code: UserAdminCode; message: string };

/** Audit actions of user administration. The password itself is never recorded. */
export const USER_AUDIT = {
	create: 'user.create',
	disable: 'user.disable',
	enable: 'user.enable',
	password: 'user.password',
	role: 'user.role'
} as const;

/**
 * Creating, disabling, re-enabling users, resetting passwords and changing roles. Every change is
 * audited; a change that takes rights away (disable, role, password) ends the user's sessions, which
 * closes their live sockets (1008) and logs them out. The last enabled admin cannot be disabled or demoted.
 */
export class UserAdminService {
	readonly #repo: UserAdminRepo;
	readonly #users: UserRepo;

	constructor(
		db: Db,
		private readonly auth: AuthService,
		private readonly audit: AuditLog,
		private readonly clock: Clock,
		private readonly log: Logger
	) {
		this.#repo = new UserAdminRepo(db);
		this.#users = new UserRepo(db);
	}

	list(): UserSummary[] {
		return this.#repo.list();
	}

	/** Number of users; 0 on a fresh database outside demo mode. */
	count(): number {
		return this.#repo.count();
	}

	async create(actor: string, username: string, role: string, password: string): Promise<UserAdminResult> {
		const problem = checkUsername(username) ?? (isRole(role) ? null : 'HMI_ERR_BAD_ROLE') ?? checkPassword(username, password);
		if (problem) return refuse(problem, describe(problem));
		const exists = () => refuse('HMI_ERR_USER_EXISTS', `a user "${username}" exists already`);
		if (this.#users.byName(username)) return exists();
		const hash = await hashPassword(password);
		let id: number;
		try {
			id = this.#users.create(username, hash, role as Role, this.clock.now());
		} catch (err) {
			// Another create of the same name may have landed while the password was hashing: the UNIQUE index decides.
			if (isUniqueViolation(err)) return exists();
			throw err;
		}
		this.#record(actor, USER_AUDIT.create, username, undefined, { role });
		return { ok: true, user: this.#repo.get(id)! };
	}

	setEnabled(actor: string, id: number, enabled: boolean): UserAdminResult {
		const user = this.#repo.get(id);
		if (!user) return refuse('HMI_ERR_USER_UNKNOWN', `no user ${id}`);
		if (user.enabled === enabled) return { ok: true, user };
		if (!enabled && this.#isLastAdmin(user)) return refuse('HMI_ERR_LAST_ADMIN', 'the last enabled admin cannot be disabled');
		this.#repo.setDisabled(id, !enabled);
		this.#record(actor, enabled ? USER_AUDIT.enable : USER_AUDIT.disable, user.username, user.enabled, enabled);
		if (!enabled) this.#endSessions(id);
		return { ok: true, user: this.#repo.get(id)! };
	}

	async resetPassword(actor: string, id: number, password: string): Promise<UserAdminResult> {
		const user = this.#repo.get(id);
		if (!user) return refuse('HMI_ERR_USER_UNKNOWN', `no user ${id}`);
		const problem = checkPassword(user.username, password);
		if (problem) return refuse(problem, describe(problem));
		this.#users.setPasswordHash(id, await hashPassword(password));
		this.#record(actor, USER_AUDIT.password, user.username);
		this.#endSessions(id);
		return { ok: true, user: this.#repo.get(id)! };
	}

	setRole(actor: string, id: number, role: string): UserAdminResult {
		const user = this.#repo.get(id);
		if (!user) return refuse('HMI_ERR_USER_UNKNOWN', `no user ${id}`);
		if (!isRole(role)) return refuse('HMI_ERR_BAD_ROLE', `unknown role "${role}"`);
		if (user.role === role) return { ok: true, user };
		if (role !== 'admin' && this.#isLastAdmin(user)) return refuse('HMI_ERR_LAST_ADMIN', 'the last enabled admin cannot be demoted');
		this.#repo.setRole(id, role);
		this.#record(actor, USER_AUDIT.role, user.username, user.role, role);
		this.#endSessions(id);
		return { ok: true, user: this.#repo.get(id)! };
	}

	#isLastAdmin(user: UserSummary): boolean {
		return user.role === 'admin' && user.enabled && this.#repo.countEnabledAdmins() <= 1;
	}

	/** Ends every live session of the user: their tokens stop working and their sockets close. */
	#endSessions(userId: number): void {
		for (const sid of this.#repo.liveSessionIds(userId, this.clock.now())) this.auth.logout(sid);
	}

	#record(actor: string, action: string, target: string, oldValue?: unknown, newValue?: unknown): void {
		this.audit.record({ ts: this.clock.now(), user: actor, action, target, oldValue, newValue });
		this.log.info({ user: actor, action, target }, 'user administration');
	}
}

function isUniqueViolation(err: unknown): boolean {
	return (err as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** `status`: the code's own (src/lib/shared/errors.ts). */
function refuse(code: UserAdminCode, message: string): UserAdminResult {
	return { ok: false, status: errorStatus(code), code, message };
}

function describe(problem: UserAdminCode): string {
	switch (problem) {
		case 'HMI_ERR_USER_BAD_NAME':
			return 'user name: 2–64 letters, digits, ".", "_" or "-"';
		case 'HMI_ERR_USER_RESERVED_NAME':
			return 'this name is reserved: the audit log and the alarm journal use it for actors that are not users';
		case 'HMI_ERR_PASSWORD_TOO_SHORT':
			return 'password too short';
		case 'HMI_ERR_PASSWORD_TOO_LONG':
			return 'password too long';
		case 'HMI_ERR_PASSWORD_IS_NAME':
			return 'password must not be the user name';
		case 'HMI_ERR_BAD_ROLE':
			return 'unknown role';
		default:
			return problem;
	}
}
