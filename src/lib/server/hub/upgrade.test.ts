import { describe, expect, test } from 'vitest';
import type { SessionUser } from '../auth/auth-service';
import { decideUpgrade, readCookie } from './upgrade';

const user: SessionUser = { id: 1, username: 'op', role: 'operator', lang: 'en', sid: 's', expiresAt: 1 };
const verify = async (token: string | undefined) => (token === 'good' ? user : null);
const allowed = ['http://127.0.0.1:3000', 'https://hmi.plant.example'];

describe('decideUpgrade', () => {
	test.each([
		['allowed origin and valid cookie', { origin: 'http://127.0.0.1:3000', cookie: 'hmi_session=good' }, 'ok'],
		['no cookie', { origin: 'http://127.0.0.1:3000' }, 401],
		['invalid cookie', { origin: 'http://127.0.0.1:3000', cookie: 'hmi_session=forged' }, 401],
		['foreign origin with a valid cookie', { origin: 'https://evil.example', cookie: 'hmi_session=good' }, 403],
		['origin differing only by port', { origin: 'http://127.0.0.1:3001', cookie: 'hmi_session=good' }, 403],
		['origin as a prefix', { origin: 'https://hmi.plant.example.evil.example', cookie: 'hmi_session=good' }, 403],
		['no origin', { cookie: 'hmi_session=good' }, 403]
	])('%s → %s', async (_name, headers, expected) => {
		const decision = await decideUpgrade(headers, allowed, verify);
		expect(decision.ok ? 'ok' : decision.status).toBe(expected);
	});
});

describe('readCookie', () => {
	test.each([
		['a=1; hmi_session=tok; b=2', 'tok'],
		['hmi_session=a%20b', 'a b'],
		['xhmi_session=tok', undefined],
		['hmi_session=%E0%A4%A', undefined],
		[undefined, undefined]
	])('%j → %j', (header, expected) => {
		expect(readCookie(header, 'hmi_session')).toBe(expected);
	});
});
