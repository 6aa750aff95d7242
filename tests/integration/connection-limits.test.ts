// One session opened 2,000 WebSockets and 1,000 SSE streams. Each user now has a named number of each:
// more are refused before a socket or stream exists, with a stable code, and counted; a closed one frees
// its slot. Real sockets and the real SSE route against the real runtime.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GET as stream } from '../../src/routes/api/stream/+server';
import type { SessionUser } from '../../src/lib/server/auth/auth-service';
import { startHmi, TEST_ORIGIN, waitFor, type TestHmi } from './harness';
import { signedIn, useRuntime } from './routes';

const MAX_SOCKETS = 3;
const MAX_STREAMS = 2;

let hmi: TestHmi;
beforeAll(async () => {
	hmi = await startHmi({ WS_MAX_PER_USER: String(MAX_SOCKETS), SSE_MAX_PER_USER: String(MAX_STREAMS) });
	useRuntime(hmi.runtime);
});
afterAll(async () => {
	useRuntime(undefined);
	await hmi?.stop();
});

/** Opens a socket; resolves with it once open, or with the refusal's status and body. */
function open(token: string): Promise<{ ws: WebSocket } | { status: number; body: { code?: string } }> {
	const ws = new WebSocket(hmi.wsUrl, { origin: TEST_ORIGIN, headers: { cookie: `hmi_session=${token}` } });
	return new Promise((resolve, reject) => {
		ws.once('open', () => resolve({ ws }));
		ws.once('unexpected-response', (_req, res) => {
			let text = '';
			res.on('data', (d) => (text += d));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
		});
		ws.once('error', reject);
	});
}

describe('WebSockets per user', () => {
	test('of 20 parallel upgrades by one user only WS_MAX_PER_USER open; the rest get 429 HMI_ERR_TOO_MANY_CONNECTIONS', async () => {
		const refusedBefore = hmi.runtime.hub.stats().refusedConnections;
		const results = await Promise.all(Array.from({ length: 20 }, () => open(hmi.token)));
		const opened = results.flatMap((r) => ('ws' in r ? [r.ws] : []));
		const refused = results.flatMap((r) => ('status' in r ? [r] : []));
		expect(opened).toHaveLength(MAX_SOCKETS);
		expect(refused).toHaveLength(20 - MAX_SOCKETS);
		expect(refused.every((r) => r.status === 429 && r.body.code === 'HMI_ERR_TOO_MANY_CONNECTIONS')).toBe(true);
		expect(hmi.runtime.hub.stats().refusedConnections - refusedBefore).toBe(20 - MAX_SOCKETS);

		// Another user has a count of their own.
		const other = await hmi.runtime.auth.createUser('other', 'other-password-1', 'operator');
		expect(other).toBeGreaterThan(0);
		const login = await hmi.runtime.auth.login('other', 'other-password-1', 'test');
		const otherSocket = await open(login.ok ? login.token : '');
		expect('ws' in otherSocket).toBe(true);

		// Closing one frees its slot.
		opened[0].close();
		await waitFor(() => hmi.runtime.hub.stats().clients === MAX_SOCKETS, 'the closed socket gone');
		const again = await open(hmi.token);
		expect('ws' in again).toBe(true);
		for (const ws of [...opened, 'ws' in again ? again.ws : null, 'ws' in otherSocket ? otherSocket.ws : null]) ws?.terminate();
	});
});

describe('SSE streams per user', () => {
	let user: SessionUser;
	beforeAll(async () => {
		user = await signedIn(hmi.runtime, 'wallboard', 'manager');
	});

	const get = async () => {
		const url = new URL('/api/stream?pattern=acme/%23', 'http://hmi.test');
		try {
			return await stream({ locals: { user }, url, request: new Request(url) } as never);
		} catch (err) {
			return err as { status: number; body: { code: string } };
		}
	};

	test('SSE_MAX_PER_USER streams open; the next is refused with 429 HMI_ERR_TOO_MANY_CONNECTIONS; a cancelled one frees its slot', async () => {
		const streams = [await get(), await get()];
		expect(streams.every((s) => s instanceof Response && s.status === 200)).toBe(true);
		const refused = await get();
		expect(refused).toMatchObject({ status: 429, body: { code: 'HMI_ERR_TOO_MANY_CONNECTIONS' } });

		await (streams[0] as Response).body!.cancel();
		const again = await get();
		expect(again).toBeInstanceOf(Response);
		for (const s of [streams[1], again]) await (s as Response).body!.cancel();
		expect(hmi.runtime.hub.stats().clients).toBe(0);
	});
});
