import { describe, expect, test } from 'vitest';
import { NEVER_CACHED, planFor } from './cache-rules';

const ORIGIN = 'https://hmi.example';
const SHELL = new Set(['/_app/immutable/entry/start.abc123.js', '/favicon.svg', '/manifest.webmanifest', '/icons/icon-192.png']);
const req = (path: string, mode = 'cors', method = 'GET', origin = ORIGIN) => ({ method, mode, url: new URL(path, origin) });

describe('planFor', () => {
	test.each([
		// The app shell, cache first.
		[req('/_app/immutable/entry/start.abc123.js'), 'shell'],
		[req('/favicon.svg', 'no-cors'), 'shell'],
		[req('/manifest.webmanifest'), 'shell'],
		[req('/icons/icon-192.png', 'no-cors'), 'shell'],
		// Live data is never cached, even if a path were (wrongly) in the shell list.
		[req('/api/tags'), 'network'],
		[req('/api/history?path=a/b&from=1&to=2'), 'network'],
		[req('/api'), 'network'],
		[req('/ws'), 'network'],
		[req('/healthz'), 'network'],
		[req('/login'), 'network'],
		[req('/logout'), 'network'],
		// Page data of client-side navigations carries plant data: network only.
		[req('/operator/__data.json'), 'network'],
		// A segment boundary, not a text prefix.
		[req('/apiary.png'), 'network'],
		// Pages: network, offline page when it fails; the never-cached ones too.
		[req('/operator', 'navigate'), 'navigate'],
		[req('/login', 'navigate'), 'navigate'],
		[req('/operator/line1/filler', 'navigate'), 'navigate'],
		// Writes and other origins are left alone.
		[req('/favicon.svg', 'cors', 'POST'), 'network'],
		[req('/api/alarms/ack', 'cors', 'POST'), 'network'],
		[req('/favicon.svg', 'no-cors', 'GET', 'https://cdn.example'), 'network'],
		[req('/operator', 'navigate', 'GET', 'https://other.example'), 'network']
	])('%o → %s', (r, plan) => {
		expect(planFor(r, ORIGIN, SHELL)).toBe(plan);
	});

	test('a shell path under a never-cached prefix still goes to the network', () => {
		for (const prefix of NEVER_CACHED) {
			const path = `${prefix}/x.js`;
			expect(planFor(req(path), ORIGIN, new Set([path]))).toBe('network');
		}
	});
});
