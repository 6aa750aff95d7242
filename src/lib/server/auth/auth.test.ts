import { describe, expect, test } from 'vitest';
import { openDatabase } from '../store/db';
import { FakeClock } from '../testing/fake-clock';
import { silentLog } from '../testing/silent-log';
import { AuthService } from './auth-service';
import { isRefusal, LoginLimiter, type LoginAttempt, type LoginRefusal } from './login-limiter';
import { hashPassword, verifyPassword } from './password';
import { signSessionToken, verifySessionToken } from './tokens';

const key = new TextEncoder().encode('k'.repeat(32));

describe('password hashing', () => {
	test('a hash verifies its password only, and two hashes of one password differ (salt)', async () => {
		const a = await hashPassword('correct horse');
		const b = await hashPassword('correct horse');
		expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
		expect(a).not.toBe(b);
		expect(await verifyPassword('correct horse', a)).toBe(true);
		expect(await verifyPassword('correct hors', a)).toBe(false);
		expect(await verifyPassword('correct horse', 'plain')).toBe(false);
		expect(await verifyPassword('x', 'scrypt$a$b$c$d$e')).toBe(false);
	});
});

describe('session tokens', () => {
	test('round-trip, expiry, tampering and a wrong key', async () => {
		const now = Date.UTC(2026, 10, 24);
		const token = await signSessionToken({ userId: 4, sid: 'abc', role: 'maintenance', expiresAt: now + 60_000 }, key);
		expect(await verifySessionToken(token, key, now)).toEqual({ userId: 4, sid: 'abc', role: 'maintenance', expiresAt: now + 60_000 });
		expect(await verifySessionToken(token, key, now + 61_000)).toBeNull();
		expect(await verifySessionToken(token.slice(0, -2) + 'xx', key, now)).toBeNull();
		expect(await verifySessionToken(token, new TextEncoder().encode('z'.repeat(32)), now)).toBeNull();
		expect(await verifySessionToken('not.a.token', key, now)).toBeNull();
	});
});

describe('LoginLimiter', () => {
	const limits = { maxFailuresPerUser: 3, userWindowMs: 60_000, maxFailuresPerAddress: 5, addressWindowMs: 300_000 };
	const accepted = (r: LoginAttempt | LoginRefusal) => !isRefusal(r);
	/** Accepted without a delay: within both budgets. */
	const within = (r: LoginAttempt | LoginRefusal) => !isRefusal(r) && r.delayMs === 0;

	test('counts an attempt when it starts: maxFailuresPerUser per name and address, then refused until the window passes', () => {
		const limiter = new LoginLimiter(limits);
		// Three attempts still running (nothing has failed yet) use up the budget.
		for (let i = 0; i < 3; i++) expect(accepted(limiter.reserve('Op', '1.2.3.4', i * 1000))).toBe(true);
		expect(limiter.reserve('op', '1.2.3.4', 5000)).toEqual({ refused: 'user' });
		expect(accepted(limiter.reserve('op', '5.6.7.8', 5000))).toBe(true);
		expect(accepted(limiter.reserve('op', '1.2.3.4', 60_001))).toBe(true);
	});

	test('an address has a budget across names (past it, attempts are slowed); a success takes back only its own attempt there', () => {
		const limiter = new LoginLimiter(limits);
		for (const name of ['a', 'b', 'c', 'd']) expect(within(limiter.reserve(name, '9.9.9.9', 0))).toBe(true);
		const own = limiter.reserve('me', '9.9.9.9', 0) as LoginAttempt;
		expect(within(own)).toBe(true);
		const slowed = limiter.reserve('e', '9.9.9.9', 0) as LoginAttempt;
		expect(slowed.delayMs).toBeGreaterThan(0);
		limiter.finished(slowed);
		limiter.succeeded(own);
		limiter.succeeded(slowed);
		expect(within(limiter.reserve('e', '9.9.9.9', 0))).toBe(true);
		expect(within(limiter.reserve('f', '9.9.9.9', 0))).toBe(false);
		expect(within(limiter.reserve('f', '9.9.9.9', 300_000))).toBe(true);
	});

	test('a success forgets that user\'s failures from that address', () => {
		const limiter = new LoginLimiter(limits);
		limiter.reserve('op', '1.1.1.1', 0);
		limiter.reserve('op', '1.1.1.1', 0);
		limiter.succeeded(limiter.reserve('op', '1.1.1.1', 0) as LoginAttempt);
		for (let i = 0; i < 2; i++) expect(accepted(limiter.reserve('op', '1.1.1.1', 0))).toBe(true);
	});

	test('memory is bounded by maxKeys: the least recently used key is forgotten', () => {
		const limiter = new LoginLimiter({ ...limits, maxKeys: 4 });
		limiter.reserve('x', 'a', 0);
		limiter.reserve('x', 'a', 0);
		limiter.reserve('x', 'a', 0);
		for (let i = 0; i < 10; i++) limiter.reserve(`n${i}`, `addr${i}`, 0);
		expect(accepted(limiter.reserve('x', 'a', 0))).toBe(true);
	});
});

describe('AuthService', () => {
	async function service() {
		const clock = new FakeClock();
		const auth = new AuthService(openDatabase(':memory:'), key, 8 * 3600_000, clock, silentLog);
		await auth.createUser('anna', 'secret-1', 'maintenance');
		return { clock, auth };
	}

	test('login gives a token that verifies to the user; logout ends it and tells listeners', async () => {
		const { auth } = await service();
		const ended: string[] = [];
		auth.onSessionEnded((sid) => ended.push(sid));
		const result = await auth.login('Anna', 'secret-1', '127.0.0.1');
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const user = await auth.verify(result.token);
		expect(user).toMatchObject({ username: 'anna', role: 'maintenance', lang: 'en', sid: result.user.sid });
		auth.logout(result.user.sid);
		expect(ended).toEqual([result.user.sid]);
		expect(await auth.verify(result.token)).toBeNull();
	});

	test('wrong password and unknown user give the same answer; repeated failures are rate limited', async () => {
		const { auth } = await service();
		expect(await auth.login('anna', 'nope', 'ip')).toEqual({ ok: false, error: 'auth.invalid' });
		expect(await auth.login('nobody', 'nope', 'ip')).toEqual({ ok: false, error: 'auth.invalid' });
		for (let i = 0; i < 4; i++) await auth.login('anna', 'nope', 'ip');
		expect(await auth.login('anna', 'secret-1', 'ip')).toEqual({ ok: false, error: 'auth.rate_limited' });
	});

	test('parallel guesses are counted before the hash is checked: only the budget is checked at all', async () => {
		const { auth } = await service();
		const results = await Promise.all(Array.from({ length: 30 }, (_, i) => auth.login('anna', `guess-${i}`, 'ip')));
		expect(results.filter((r) => !r.ok && r.error === 'auth.invalid')).toHaveLength(5);
		expect(results.filter((r) => !r.ok && r.error === 'auth.rate_limited')).toHaveLength(25);
	});

	test('a session expires after its time to live', async () => {
		const { auth, clock } = await service();
		const result = await auth.login('anna', 'secret-1', 'ip');
		if (!result.ok) throw new Error('login failed');
		clock.advance(8 * 3600_000 - 1000);
		expect(await auth.verify(result.token)).not.toBeNull();
		clock.advance(2000);
		expect(await auth.verify(result.token)).toBeNull();
	});

	test('the language choice is stored with the user', async () => {
		const { auth } = await service();
		const result = await auth.login('anna', 'secret-1', 'ip');
		if (!result.ok) throw new Error('login failed');
		auth.setLanguage(result.user.id, 'nl');
		expect((await auth.verify(result.token))?.lang).toBe('nl');
	});

	test('demo users exist with password = name, one per role', async () => {
		const { auth } = await service();
		expect(await auth.ensureDemoUsers()).toEqual(['operator', 'maintenance', 'manager', 'admin']);
		for (const role of ['operator', 'maintenance', 'manager', 'admin']) {
			const result = await auth.login(role, role, 'ip');
			expect(result.ok && result.user.role).toBe(role);
		}
	});
});
