import { describe, expect, test } from 'vitest';
import type { SessionUser } from '../auth/auth-service';
import { decideUpgrade, readCookie } from './upgrade';

const user: SessionUser = { id: 1, username: 'op', role: 'operator', lang: 'en', sid: 's', expiresAt: 1 };
const verify = async (token: string | undefined) => (token === 'good' ? user : null);
const trust = {
	allowedOrigins: ['http://127.0.0.1:3000', 'https://hmi.plant.example'],
	allowedHosts: ['127.0.0.1', 'hmi.plant.example'],
	hostHeader: 'host'
};
const ok = { host: '127.0.0.1:3000', origin: 'http://127.0.0.1:3000', cookie: 'hmi_session=good' };

describe('decideUpgrade', () => {
	test.each([
		['allowed host, origin and valid cookie', ok, 'ok'],
		['no cookie', { ...ok, cookie: undefined }, 401],
		['invalid cookie', { ...ok, cookie: 'hmi_session=forged' }, 401],
		['foreign origin with a valid cookie', { ...ok, origin: 'https://evil.example' }, 403],
		['origin differing only by port', { ...ok, origin: 'http://127.0.0.1:3001' }, 403],
		['origin as a prefix', { ...ok, origin: 'https://hmi.plant.example.evil.example' }, 403],
		['no origin', { ...ok, origin: undefined }, 403],
		// DNS rebinding: the page and its socket are same-origin for the browser; only the Host tells.
		['a host name that is not ours, with a matching origin', { host: 'evil.example:3300', origin: 'http://evil.example:3300', cookie: 'hmi_session=good' }, 421],
		['a host name that is not ours, with our origin', { ...ok, host: 'evil.example' }, 421],
		['no host', { ...ok, host: undefined }, 421],
		['our host name in capitals with another port', { ...ok, host: 'HMI.plant.example:8443', origin: 'https://hmi.plant.example' }, 'ok']
	])('%s → %s', async (_name, headers, expected) => {
		const decision = await decideUpgrade(headers, trust, verify);
		expect(decision.ok ? 'ok' : decision.status).toBe(expected);
	});

	test('behind a proxy the host comes from HOST_HEADER, not the Host the proxy set', async () => {
		const proxied = { ...trust, hostHeader: 'x-forwarded-host' };
		const decision = await decideUpgrade({ ...ok, host: '10.0.0.5:3000', 'x-forwarded-host': 'evil.example' }, proxied, verify);
		expect(decision).toMatchObject({ ok: false, status: 421, code: 'HMI_ERR_HOST_NOT_ALLOWED' });
		expect((await decideUpgrade({ ...ok, host: 'evil.example', 'x-forwarded-host': 'hmi.plant.example' }, proxied, verify)).ok).toBe(true);
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
