// 200 parallel password guesses in 4 s were all checked: the limiter counted a failure only after scrypt,
// so every guess that started before the first one failed got through. Now an attempt is counted before
// the hash is checked, and a client address has a budget across user names too. Through the real login
// action, with real scrypt and SQLite.
import { isRedirect } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { actions } from '../../src/routes/login/+page.server';
import { startHmi, type TestHmi } from './harness';
import { useRuntime } from './routes';

const PER_USER = 5;
const PER_ADDRESS = 20;

let hmi: TestHmi;
beforeAll(async () => {
	hmi = await startHmi({ LOGIN_MAX_FAILURES_PER_USER: String(PER_USER), LOGIN_MAX_FAILURES_PER_ADDRESS: String(PER_ADDRESS) });
	useRuntime(hmi.runtime);
	await hmi.runtime.auth.createUser('anna', 'anna-password-1', 'admin');
	await hmi.runtime.auth.createUser('mallory', 'mallory-password-1', 'manager');
});
afterAll(async () => {
	useRuntime(undefined);
	await hmi?.stop();
});

type Outcome = 'signed-in' | 'auth.invalid' | 'auth.rate_limited' | 'other';

/** Posts the login form from `address` (what adapter-node's getClientAddress gives). */
async function login(username: string, password: string, address: string): Promise<Outcome> {
	const url = new URL('http://hmi.test/login');
	const request = new Request(url, { method: 'POST', body: new URLSearchParams({ username, password }) });
	const cookies = { set: () => {}, get: () => undefined, delete: () => {} };
	try {
		const result = (await actions.default({ request, url, cookies, getClientAddress: () => address } as never)) as { status: number; data: { error: string } };
		const expected = { 'auth.invalid': 400, 'auth.rate_limited': 429 } as Record<string, number>;
		return expected[result.data.error] === result.status ? (result.data.error as Outcome) : 'other';
	} catch (err) {
		return isRedirect(err) ? 'signed-in' : 'other';
	}
}

const count = (outcomes: Outcome[], what: Outcome) => outcomes.filter((o) => o === what).length;

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

	test('one address has a budget across user names: spraying names stops at LOGIN_MAX_FAILURES_PER_ADDRESS, other addresses are not affected', async () => {
		const address = '203.0.113.9';
		const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => login(`user${i}`, 'guess', address)));
		expect(count(outcomes, 'auth.invalid')).toBe(PER_ADDRESS);
		expect(count(outcomes, 'auth.rate_limited')).toBe(50 - PER_ADDRESS);
		// Even the right password is not checked from that address now: the attempt is refused before hashing.
		expect(await login('anna', 'anna-password-1', address)).toBe('auth.rate_limited');
		expect(await login('nobody', 'guess', '203.0.113.10')).toBe('auth.invalid');
	});

	test('signing in with one\'s own account does not give an address its budget back', async () => {
		const address = '192.0.2.44';
		for (let i = 0; i < PER_ADDRESS - 2; i++) expect(await login(`victim${i}x`, 'guess', address)).toBe('auth.invalid');
		expect(await login('mallory', 'mallory-password-1', address)).toBe('signed-in');
		const after = await Promise.all(Array.from({ length: 10 }, (_, i) => login(`victim${i}y`, 'guess', address)));
		expect(count(after, 'auth.invalid')).toBe(2);
	});

	test('a right password within the limit signs in and forgets that user\'s failures from that address', async () => {
		const address = '192.0.2.80';
		for (let i = 0; i < PER_USER - 1; i++) expect(await login('anna', 'typo', address)).toBe('auth.invalid');
		expect(await login('anna', 'anna-password-1', address)).toBe('signed-in');
		for (let i = 0; i < PER_USER - 1; i++) expect(await login('anna', 'typo', address)).toBe('auth.invalid');
		expect(await login('anna', 'anna-password-1', address)).toBe('signed-in');
	});
});
