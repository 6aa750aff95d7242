import { randomBytes } from 'node:crypto';
import type { Lang } from '$lib/shared/languages';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Db } from '../store/db';
import type { StorageGuard } from '../store/storage-guard';
import type { PruneResult } from '../domain/time/retention';
import { isRefusal, LoginLimiter, type LoginLimits } from './login-limiter';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password';
import { ROLES, type Role } from './roles';
import { signSessionToken, verifySessionToken } from './tokens';
import { checkUsername, isReservedActorName, RESERVED_ACTOR_NAMES } from './user-rules';
import { SessionRepo, UserRepo } from './users';

/** The signed-in user as the rest of the server sees it. */
export interface SessionUser {
	id: number;
	username: string;
	role: Role;
	lang: Lang;
	/** Session id: logout and expiry close every socket of this session. */
	sid: string;
	expiresAt: number;
}

export type LoginResult =
	| { ok: true; token: string; user: SessionUser }
	| { ok: false; error: 'auth.invalid' | 'auth.rate_limited' | 'auth.busy' };

export type SessionEndedListener = (sid: string) => void;

/** Sessions stay this long after they ended (the users list shows the last login from them), ms. */
export const SESSION_KEEP_MS = 7 * 86_400_000;

/**
 * Users, passwords and sessions. Tokens are signed (jose) and name a session row, so a token can be
 * checked without the database, and still be ended at once by logout.
 */
export class AuthService {
	readonly #users: UserRepo;
	readonly #sessions: SessionRepo;
	readonly #limiter: LoginLimiter;
	readonly #ended = new Set<SessionEndedListener>();

	constructor(
		db: Db,
		private readonly key: Uint8Array,
		private readonly ttlMs: number,
		private readonly clock: Clock,
		private readonly log: Logger,
		loginLimits: Partial<LoginLimits> = {},
		/** The server's storage guard: a database that cannot be read never stops the start or fails a request with 500. Without one (the CLI, tests) read errors throw. */
		private readonly guard?: StorageGuard
	) {
		this.#limiter = new LoginLimiter(loginLimits);
		this.#users = new UserRepo(db);
		this.#sessions = new SessionRepo(db);
		// Only a warning: a users table that cannot be read (a damaged page) must not stop the start.
		const findClashing = () => RESERVED_ACTOR_NAMES.map((name) => this.#users.byName(name)?.username).filter(Boolean);
		const clashing = guard ? guard.read('users with reserved names', findClashing, []) : findClashing();
		if (clashing.length > 0)
			log.warn({ users: clashing }, 'users with a name reserved for non-user actors (audit, journal) cannot sign in; create them anew under another name');
	}

	/**
	 * Checks a user name and password; on success creates a session and returns its token. The attempt is
	 * counted against the login limits before the password is hashed (see LoginLimiter).
	 * @param clientKey identifies the client (its address) for rate limiting
	 */
	async login(username: string, password: string, clientKey: string): Promise<LoginResult> {
		const now = this.clock.now();
		const attempt = this.#limiter.reserve(username, clientKey, now);
		if (isRefusal(attempt)) {
			this.log.warn({ username, clientKey, refused: attempt.refused }, 'login refused: too many failures');
			return { ok: false, error: attempt.refused === 'busy' ? 'auth.busy' : 'auth.rate_limited' };
		}
		let row: ReturnType<UserRepo['byName']>;
		let valid: boolean;
		try {
			if (attempt.delayMs > 0) {
				this.log.info({ username, address: attempt.addressKey, delayMs: attempt.delayMs }, 'login slowed: this address has had too many failures');
				await new Promise<void>((resolve) => this.clock.setTimeout(resolve, attempt.delayMs));
			}
			row = this.#users.byName(username);
			valid = await verifyPassword(password, row?.password_hash ?? (await dummyPasswordHash()));
		} finally {
			this.#limiter.finished(attempt);
		}
		// A name the audit uses for a non-user (an account from before the rule) never signs in.
		if (!row || !valid || row.disabled || isReservedActorName(row.username)) {
			this.log.info({ username, clientKey }, 'login failed');
			return { ok: false, error: 'auth.invalid' };
		}
		this.#limiter.succeeded(attempt);
		const sid = randomBytes(18).toString('base64url');
		const expiresAt = now + this.ttlMs;
		this.#sessions.create(sid, row.id, now, expiresAt);
		const token = await signSessionToken({ userId: row.id, sid, role: row.role, expiresAt }, this.key);
		this.log.info({ username: row.username, role: row.role }, 'login');
		return { ok: true, token, user: { id: row.id, username: row.username, role: row.role, lang: row.lang, sid, expiresAt } };
	}

	/**
	 * The user of a valid, live session token; null when the token is bad, expired, revoked or the user disabled.
	 * Throws StorageUnavailableError (HMI_ERR_STORAGE) when the session cannot be read: a session nobody can
	 * check is not taken as valid (it may have been ended), nor as "signed out" without saying why.
	 */
	async verify(token: string | undefined): Promise<SessionUser | null> {
		if (!token) return null;
		const now = this.clock.now();
		const claims = await verifySessionToken(token, this.key, now);
		if (!claims) return null;
		const check = () => this.#liveUser(claims.sid, claims.userId, now);
		return this.guard ? this.guard.readOrThrow('the session', check) : check();
	}

	/** Re-checks a session already verified once (sockets do this periodically). */
	isSessionLive(sid: string, userId: number): boolean {
		return this.#liveUser(sid, userId, this.clock.now()) !== null;
	}

	#liveUser(sid: string, userId: number, now: number): SessionUser | null {
		const session = this.#sessions.get(sid);
		if (!session || session.revoked_at !== null || session.expires_at <= now || session.user_id !== userId) return null;
		const row = this.#users.byId(userId);
		if (!row || row.disabled || isReservedActorName(row.username)) return null;
		return { id: row.id, username: row.username, role: row.role, lang: row.lang, sid, expiresAt: session.expires_at };
	}

	/** Ends a session: its token stops working and its sockets are closed. */
	logout(sid: string): void {
		if (this.#sessions.revoke(sid, this.clock.now())) {
			for (const listener of this.#ended) listener(sid);
		}
	}

	onSessionEnded(listener: SessionEndedListener): () => void {
		this.#ended.add(listener);
		return () => this.#ended.delete(listener);
	}

	setLanguage(userId: number, lang: Lang): void {
		this.#users.setLang(userId, lang);
	}

	/** Creates a user without the admin rules (tests, benchmarks); reserved names are refused all the same. */
	async createUser(username: string, password: string, role: Role): Promise<number> {
		if (isReservedActorName(username)) throw new Error(`HMI_ERR_USER_RESERVED_NAME: cannot create user ${JSON.stringify(username)}`);
		return this.#users.create(username, await hashPassword(password), role, this.clock.now());
	}

	/**
	 * Demo mode only: one user per role whose password is the user name. Re-sets the password on every
	 * start so the documented logins always work.
	 */
	async ensureDemoUsers(): Promise<string[]> {
		for (const role of ROLES) {
			const problem = checkUsername(role);
			if (problem) throw new Error(`${problem}: demo user ${role}`);
			const existing = this.#users.byName(role);
			const hash = await hashPassword(role);
			if (existing) this.#users.setPasswordHash(existing.id, hash);
			else this.#users.create(role, hash, role, this.clock.now());
		}
		return [...ROLES];
	}

	/** Deletes sessions that ended more than SESSION_KEEP_MS ago (see `SessionRepo.prune`). */
	pruneSessions(): PruneResult {
		return this.#sessions.prune(this.clock.now(), SESSION_KEEP_MS);
	}
}
