// 200 parallel password guesses in 4 s were all checked: the limiter counted a failure only after scrypt,
// so every guess that started before the first one failed got through. Now an attempt is counted before
// the hash is checked, and a client address has a budget across user names too.
// That budget must not lock a plant out: behind a proxy without ADDRESS_HEADER, or tablets behind NAT, every
// client has one address, and 20 wrong passwords (an attacker, a kiosk with an old password) refused everyone,
// the right password included, for 5 minutes. Past its budget an address is now slowed down (a growing delay
// before the hash is checked, a few attempts at a time), while the per-user-name budget still stops guessing
// one account; IPv6 clients are counted by their /64, so rotating addresses gains nothing.
// Through the real login action, with real scrypt and SQLite.
import { PassThrough } from 'node:stream';
import { isRedirect } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { actions } from '../../src/routes/login/+page.server';
import { createLogger } from '../../src/lib/server/log';
import { startHmi, type TestHmi } from './harness';
import { useRuntime } from './routes';

const PER_USER = 5;
const PER_ADDRESS = 20;
/** Short delays, so that the slowed attempts of a test take seconds, not minutes. */
const SLOW_DELAY_MS = 200;
const SLOW_MAX_DELAY_MS = 400;
const SLOW_MAX_CONCURRENT = 2;

let hmi: TestHmi;
const logLines: { msg: string; delayMs?: number; address?: string }[] = [];
beforeAll(async () => {
	const sink = new PassThrough();
	sink.on('data', (chunk: Buffer) => logLines.push(...chunk.toString().split('\n').filter(Boolean).map((l) => JSON.parse(l))));
	hmi = await startHmi(
		{
			LOGIN_MAX_FAILURES_PER_USER: String(PER_USER),
			LOGIN_MAX_FAILURES_PER_ADDRESS: String(PER_ADDRESS),
			LOGIN_SLOW_DELAY_MS: String(SLOW_DELAY_MS),
			LOGIN_SLOW_MAX_DELAY_MS: String(SLOW_MAX_DELAY_MS),
			LOGIN_SLOW_MAX_CONCURRENT: String(SLOW_MAX_CONCURRENT)
		},
		{ log: createLogger('info', sink) }
	);
	useRuntime(hmi.runtime);
	await hmi.runtime.auth.createUser('anna', 'anna-password-1', 'admin');
	await hmi.runtime.auth.createUser('mallory', 'mallory-password-1', 'manager');
});
afterAll(async () => {
	useRuntime(undefined);
	await hmi?.stop();
});

type Outcome = 'signed-in' | 'auth.invalid' | 'auth.rate_limited' | 'auth.busy' | 'other';

/** Posts the login form from `address` (what adapter-node's getClientAddress gives). */
async function login(username: string, password: string, address: string): Promise<Outcome> {
	const url = new URL('http://hmi.test/login');
	const request = new Request(url, { method: 'POST', body: new URLSearchParams({ username, password }) });
	const cookies = { set: () => {}, get: () => undefined, delete: () => {} };
	try {
		const result = (await actions.default({ request, url, cookies, getClientAddress: () => address } as never)) as { status: number; data: { error: string } };
		const expected = { 'auth.invalid': 400, 'auth.rate_limited': 429, 'auth.busy': 429 } as Record<string, number>;
		return expected[result.data.error] === result.status ? (result.data.error as Outcome) : 'other';
	} catch (err) {
		return isRedirect(err) ? 'signed-in' : 'other';
	}
}

const count = (outcomes: Outcome[], what: Outcome) => outcomes.filter((o) => o === what).length;
/** Attempts from `addressKey` that were held back before their hash was checked, so far. */
const slowed = (addressKey: string) => logLines.filter((l) => l.msg.startsWith('login slowed') && l.address === addressKey);

describe('login limits', () => {
	test('of 200 parallel guesses for one user, only LOGIN_MAX_FAILURES_PER_USER are checked; the rest are refused unchecked', async () => {
		const started = Date.now();
		const outcomes = await Promise.all(Array.from({ length: 200 }, (_, i) => login('anna', `guess-${i}`, '198.51.100.1')));
		console.log(`[measure] 200 parallel guesses: ${count(outcomes, 'auth.invalid')} checked, ${count(outcomes, 'auth.rate_limited')} refused unchecked, in ${Date.now() - started} ms`);
		expect(count(outcomes, 'auth.invalid')).toBe(PER_USER);
		expect(count(outcomes, 'auth.rate_limited')).toBe(200 - PER_USER);
		// Anna from her own terminal is not locked out by a guesser elsewhere.
		expect(await login('anna', 'anna-password-1', '198.51.100.2')).toBe('signed-in');
	});

	test('names sprayed from one address: LOGIN_MAX_FAILURES_PER_ADDRESS checked at once, then a few at a time after a delay, the rest refused unchecked; the right password still signs in', async () => {
		const address = '203.0.113.9';
		const started = Date.now();
		const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => login(`user${i}`, 'guess', address)));
		console.log(
			`[measure] 50 names sprayed in parallel from one address: ${count(outcomes, 'auth.invalid')} checked (${slowed(address).length} of them slowed), ` +
				`${count(outcomes, 'auth.busy')} refused unchecked, in ${Date.now() - started} ms`
		);
		expect(count(outcomes, 'auth.invalid')).toBe(PER_ADDRESS + SLOW_MAX_CONCURRENT);
		expect(count(outcomes, 'auth.busy')).toBe(50 - PER_ADDRESS - SLOW_MAX_CONCURRENT);
		expect(slowed(address)).toHaveLength(SLOW_MAX_CONCURRENT);
		// An operator at that address (the same NAT, the same proxy) is slowed down, not locked out.
		const before = Date.now();
		expect(await login('anna', 'anna-password-1', address)).toBe('signed-in');
		expect(Date.now() - before).toBeGreaterThanOrEqual(SLOW_DELAY_MS);
		expect(slowed(address)).toHaveLength(SLOW_MAX_CONCURRENT + 1);
		// The delay grows with the failures past the budget, up to its ceiling.
		expect(slowed(address).map((l) => l.delayMs)).toEqual([SLOW_DELAY_MS, 2 * SLOW_DELAY_MS, SLOW_MAX_DELAY_MS]);
		// Other addresses are not affected.
		expect(await login('nobody', 'guess', '203.0.113.10')).toBe('auth.invalid');
		expect(slowed('203.0.113.10')).toHaveLength(0);
	});

	test('a kiosk with an old password spends the address budget: an operator there still signs in, and guessing one name still stops at LOGIN_MAX_FAILURES_PER_USER', async () => {
		const address = '192.0.2.150';
		// Four accounts of the kiosk's, each with an old password, tried until their own limit refuses them.
		for (let k = 0; k < 4; k++) for (let i = 0; i < PER_USER; i++) expect(await login(`kiosk${k}`, 'old-password', address)).toBe('auth.invalid');
		expect(await login('kiosk0', 'old-password', address)).toBe('auth.rate_limited');
		expect(await login('anna', 'anna-password-1', address)).toBe('signed-in');
		const guesses: Outcome[] = [];
		for (let i = 0; i < PER_USER + 3; i++) guesses.push(await login('mallory', `guess-${i}`, address));
		expect(guesses).toEqual([...Array(PER_USER).fill('auth.invalid'), ...Array(3).fill('auth.rate_limited')]);
		expect(slowed(address)).toHaveLength(1 + PER_USER);
	});

	test('when the slowed attempts are done, the next one from that address is checked (slowly) again', async () => {
		const address = '192.0.2.160';
		await Promise.all(Array.from({ length: PER_ADDRESS }, (_, i) => login(`spray${i}`, 'guess', address)));
		const busy = await Promise.all(Array.from({ length: 6 }, (_, i) => login(`more${i}`, 'guess', address)));
		expect(count(busy, 'auth.busy')).toBe(6 - SLOW_MAX_CONCURRENT);
		expect(await login('late', 'guess', address)).toBe('auth.invalid');
		expect(slowed(address)).toHaveLength(SLOW_MAX_CONCURRENT + 1);
	});

	test('signing in with one\'s own account does not give an address its budget back', async () => {
		const address = '192.0.2.44';
		for (let i = 0; i < PER_ADDRESS - 2; i++) expect(await login(`victim${i}x`, 'guess', address)).toBe('auth.invalid');
		expect(await login('mallory', 'mallory-password-1', address)).toBe('signed-in');
		expect(slowed(address)).toHaveLength(0);
		for (let i = 0; i < 5; i++) expect(await login(`victim${i}y`, 'guess', address)).toBe('auth.invalid');
		expect(slowed(address)).toHaveLength(3);
	});

	test('a right password within the limit signs in and forgets that user\'s failures from that address', async () => {
		const address = '192.0.2.80';
		for (let i = 0; i < PER_USER - 1; i++) expect(await login('anna', 'typo', address)).toBe('auth.invalid');
		expect(await login('anna', 'anna-password-1', address)).toBe('signed-in');
		for (let i = 0; i < PER_USER - 1; i++) expect(await login('anna', 'typo', address)).toBe('auth.invalid');
		expect(await login('anna', 'anna-password-1', address)).toBe('signed-in');
	});

	test('IPv6 clients are counted by their /64: rotating addresses within it gains nothing, another /64 is someone else', async () => {
		const outcomes: Outcome[] = [];
		for (let i = 1; i <= PER_USER + 1; i++) outcomes.push(await login('mallory', `guess-${i}`, `2001:db8:aa:1::${i.toString(16)}`));
		expect(outcomes).toEqual([...Array(PER_USER).fill('auth.invalid'), 'auth.rate_limited']);
		expect(await login('mallory', 'guess', '2001:db8:aa:1:ffff:ffff:ffff:ffff')).toBe('auth.rate_limited');
		expect(await login('mallory', 'guess', '2001:db8:aa:2::1')).toBe('auth.invalid');
		// An IPv4 client seen through a dual-stack socket is the same client as without it.
		for (let i = 0; i < PER_USER; i++) expect(await login('anna', 'typo', i % 2 ? '198.51.100.77' : '::ffff:198.51.100.77')).toBe('auth.invalid');
		expect(await login('anna', 'typo', '198.51.100.77')).toBe('auth.rate_limited');
	});
});

describe('the client address behind a proxy', () => {
	async function startLogs(env: Record<string, string>): Promise<{ msg: string }[]> {
		const lines: { msg: string }[] = [];
		const sink = new PassThrough();
		sink.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean).map((l) => JSON.parse(l))));
		const started = await startHmi(env, { log: createLogger('warn', sink) });
		await started.stop();
		return lines;
	}
	const warnings = (lines: { msg: string }[]) => lines.filter((l) => l.msg.includes('ADDRESS_HEADER'));

	test('a server meant for other machines (a non-loopback ORIGIN, ALLOWED_ORIGINS or ALLOWED_HOSTS) without ADDRESS_HEADER warns once at start', async () => {
		expect(warnings(await startLogs({ ORIGIN: 'https://hmi.plant.local' }))).toHaveLength(1);
	});

	test('no warning with ADDRESS_HEADER, nor on a loopback-only server', async () => {
		expect(warnings(await startLogs({ ORIGIN: 'https://hmi.plant.local', ADDRESS_HEADER: 'x-forwarded-for' }))).toHaveLength(0);
		expect(warnings(await startLogs({ ALLOWED_ORIGINS: 'http://localhost:3000', ALLOWED_HOSTS: '127.0.0.1,::1' }))).toHaveLength(0);
	});
});
