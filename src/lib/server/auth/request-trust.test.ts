import { describe, expect, test } from 'vitest';
import { allowedHostsOf, checkRequest, hostNameOf, isAllowedOrigin } from './request-trust';

describe('hostNameOf', () => {
	test.each([
		['hmi.plant:3000', 'hmi.plant'],
		['HMI.Plant', 'hmi.plant'],
		['hmi.plant.:443', 'hmi.plant'],
		['[::1]:3000', '[::1]'],
		['[::1', null],
		['hmi.plant, proxy.local', 'hmi.plant'],
		['', null],
		[null, null],
		[':3000', null]
	])('%j → %j', (value, name) => expect(hostNameOf(value)).toBe(name));
});

describe('allowedHostsOf', () => {
	test('names of the origins (any port, lower case) and the extra names, each once', () => {
		expect(allowedHostsOf(['http://localhost:3000', 'https://HMI.plant', 'http://[::1]:3000'], ['hmi.plant', ' tablet_3 ', '', '192.168.1.20'])).toEqual([
			'localhost',
			'hmi.plant',
			'[::1]',
			'tablet_3',
			'192.168.1.20'
		]);
	});

	test.each([['hmi.plant:3000'], ['https://hmi.plant'], ['hmi/plant'], ['-hmi']])('%s is not a host name', (entry) => {
		expect(() => allowedHostsOf([], [entry])).toThrow(/not a host name/);
	});
});

describe('isAllowedOrigin', () => {
	test.each([
		['http://hmi.test', true],
		['http://hmi.test:8080', false],
		['https://hmi.test', false],
		['null', false],
		[undefined, false],
		['http://own.example:3000', true]
	])('%s → %s', (origin, allowed) => expect(isAllowedOrigin(origin, ['http://hmi.test'], 'http://own.example:3000')).toBe(allowed));
});

describe('checkRequest', () => {
	const trust = { allowedOrigins: ['http://hmi.test'], allowedHosts: ['hmi.test'], hostHeader: 'host' };
	const request = (method: string, headers: Record<string, string>) => new Request('http://hmi.test/x', { method, headers });
	test.each([
		['a GET to our name', 'GET', { host: 'hmi.test' }, null],
		['a GET to another name', 'GET', { host: 'evil.example:3300' }, 421],
		['a POST from our page', 'POST', { host: 'hmi.test', origin: 'http://hmi.test' }, null],
		['a POST without Origin (not a browser)', 'POST', { host: 'hmi.test' }, null],
		['a JSON POST without Origin (a program)', 'POST', { host: 'hmi.test', 'content-type': 'application/json' }, null],
		['a form post without Origin', 'POST', { host: 'hmi.test', 'content-type': 'application/x-www-form-urlencoded' }, 403],
		['a multipart form post without Origin', 'POST', { host: 'hmi.test', 'content-type': 'multipart/form-data; boundary=x' }, 403],
		['a text/plain POST without Origin', 'PUT', { host: 'hmi.test', 'content-type': 'Text/Plain;charset=UTF-8' }, 403],
		['a form post from our page', 'POST', { host: 'hmi.test', origin: 'http://hmi.test', 'content-type': 'application/x-www-form-urlencoded' }, null],
		['a form post from another site', 'POST', { host: 'hmi.test', origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, 403],
		['a POST from another port of our host', 'POST', { host: 'hmi.test', origin: 'http://hmi.test:8080' }, 403],
		['a DELETE from another site', 'DELETE', { host: 'hmi.test', origin: 'https://evil.example' }, 403],
		['a GET from another site (reads are guarded by SameSite and CORS)', 'GET', { host: 'hmi.test', origin: 'https://evil.example' }, null],
		['a POST to another name from its own page', 'POST', { host: 'evil.example', origin: 'http://evil.example' }, 421]
	])('%s → %s', (_name, method, headers, status) => {
		expect(checkRequest(request(method, headers), 'http://hmi.test', trust)?.status ?? null).toBe(status);
	});
});
