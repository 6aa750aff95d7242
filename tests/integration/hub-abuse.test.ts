// Sockets that never read but keep asking: re-subscribing (every `sub` makes a snapshot) and sending pongs
// nobody asked for. The server must not buffer for them without bound, must not take those pongs for a
// heartbeat, and must close them; a socket that re-subscribes within the limits gets its latest snapshot
// once it reads again. Real sockets against the real runtime.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CloseCode, Quality, type ServerMessage } from '../../src/lib/shared/protocol';
import { ids, plantWithLines, writePlantModel } from '../../src/lib/server/testing/plant-models';
import { startHmi, TEST_ORIGIN, waitFor, type TestHmi } from './harness';

const MAX_BUFFERED_KB = 256;
const TAGS = 500;
/** Values padded so that one snapshot of every tag is about 500 KB. */
const PAD = 'x'.repeat(1000);
// A line of its own in the plant model: the tag store takes only declared paths.
const LINE = 'acme/utrecht/packaging/abuse';
const tagPath = (i: number) => `${LINE}/probe/v${i}`;
const PLANT_MODEL = writePlantModel(plantWithLines([{ id: 'abuse', machines: ['probe'], tags: ids('v', TAGS) }]));

/** Fills the real tag store: the hub's snapshots then carry TAGS values. */
function fillStore(hmi: TestHmi): void {
	const now = Date.now();
	for (let i = 0; i < TAGS; i++)
		hmi.runtime.store.apply({ path: tagPath(i), value: `${i}|${PAD}`, quality: Quality.Good, sourceTs: now, serverTs: now, origin: 'mqtt' });
}

/** The HMI with a small unread limit, its store full of big values, and a read-only user's token. */
async function filledHmi(): Promise<{ hmi: TestHmi; token: string }> {
	const hmi = await startHmi({ WS_MAX_BUFFERED_KB: String(MAX_BUFFERED_KB), PLANT_MODEL });
	fillStore(hmi);
	return { hmi, token: await managerToken(hmi) };
}

/** A read-only user (manager) signed in: the abuse needs no write right. */
async function managerToken(hmi: TestHmi): Promise<string> {
	await hmi.runtime.auth.createUser('viewer', 'viewer-password-1', 'manager');
	const login = await hmi.runtime.auth.login('viewer', 'viewer-password-1', 'test');
	if (!login.ok) throw new Error('login failed');
	return login.token;
}

interface RawClient {
	ws: WebSocket;
	messages: ServerMessage[];
	closed: Promise<{ code: number; reason: string }>;
}

async function openRaw(hmi: TestHmi, token: string): Promise<RawClient> {
	const ws = new WebSocket(hmi.wsUrl, { origin: TEST_ORIGIN, headers: { cookie: `hmi_session=${token}` } });
	const messages: ServerMessage[] = [];
	ws.on('message', (data) => messages.push(JSON.parse(data.toString()) as ServerMessage));
	ws.on('error', () => {});
	const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
	await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
	return { ws, messages, closed };
}

const ignore = () => {};
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

describe('ten sockets that never read, re-subscribe every 22 ms and send unsolicited pongs', () => {
	let hmi: TestHmi;
	let token: string;
	beforeAll(async () => ({ hmi, token } = await filledHmi()));
	afterAll(() => hmi?.stop());

	test('keep the server bounded: no client passes the hard unread limit, and every socket is closed with 1008', async () => {
		const { hardBufferedBytes } = hmi.runtime.hub.limits;
		const clients = await Promise.all(Array.from({ length: 10 }, () => openRaw(hmi, token)));
		// One snapshot, read normally, tells how big a frame can get.
		clients[0].ws.send(JSON.stringify({ type: 'sub', id: 1, patterns: ['acme/#'] }));
		await waitFor(() => clients[0].messages.some((m) => m.type === 'snapshot'), 'first snapshot');
		const snapshotBytes = JSON.stringify(clients[0].messages.find((m) => m.type === 'snapshot')).length;
		// Bound: the hard limit plus one frame that may go out while under it.
		const bound = hardBufferedBytes + snapshotBytes;

		for (const c of clients) c.ws.pause();
		const before = process.memoryUsage();
		let peakBuffered = 0;
		let peakRss = before.rss;
		const started = Date.now();
		// Refused re-subscriptions are not bad messages: the message rate (and the unread check) ends these.
		const end = started + 20_000;
		while (Date.now() < end && hmi.runtime.hub.stats().clients > 0) {
			for (const c of clients) {
				if (c.ws.readyState !== WebSocket.OPEN) continue;
				c.ws.send(JSON.stringify({ type: 'sub', id: 1, patterns: ['acme/#'] }), ignore);
				c.ws.pong(undefined, undefined, ignore);
			}
			peakBuffered = Math.max(peakBuffered, hmi.runtime.hub.stats().largestBufferedBytes);
			peakRss = Math.max(peakRss, process.memoryUsage().rss);
			// Without a bound there is no point in going on (the server would only grow).
			if (peakBuffered > 4 * bound) break;
			await new Promise((r) => setTimeout(r, 22));
		}
		const after = process.memoryUsage();
		const openAtEnd = hmi.runtime.hub.stats().clients;
		const tookMs = Date.now() - started;
		console.log(
			`[measure] 10 never-reading sockets, re-sub every 22 ms + unsolicited pongs: largest unread backlog ${(peakBuffered / 1024).toFixed(0)} KB ` +
				`(hard limit ${(hardBufferedBytes / 1024).toFixed(0)} KB, snapshot ${(snapshotBytes / 1024).toFixed(0)} KB); ` +
				`RSS ${mb(before.rss)} → peak ${mb(peakRss)} (+${mb(peakRss - before.rss)}), heap ${mb(before.heapUsed)} → ${mb(after.heapUsed)}, ` +
				`buffers ${mb(before.arrayBuffers)} → ${mb(after.arrayBuffers)}; sockets still open: ${openAtEnd} after ${tookMs} ms`
		);
		expect(peakBuffered).toBeLessThanOrEqual(bound);
		expect(openAtEnd).toBe(0);
		// Reading again, each client finds the policy close at the end of what it was sent.
		for (const c of clients) c.ws.resume();
		const closes = await Promise.all(clients.map((c) => c.closed));
		expect(closes.map((c) => c.code)).toEqual(Array(10).fill(CloseCode.Policy));
		expect(clients.every((c) => c.messages.some((m) => m.type === 'error' && m.code === 'HMI_ERR_SUBSCRIBE_RATE_LIMITED'))).toBe(true);
	}, 60_000);
});

describe('heartbeat', () => {
	let hmi: TestHmi;
	let token: string;
	beforeAll(async () => {
		hmi = await startHmi({ WS_HEARTBEAT_S: '1', PLANT_MODEL });
		token = await managerToken(hmi);
	});
	afterAll(() => hmi?.stop());

	test('pongs that answer no ping of ours do not keep a socket that stopped reading alive', async () => {
		const client = await openRaw(hmi, token);
		client.ws.pause();
		const end = Date.now() + 5000;
		// A few per second: well within the message rate, so only the heartbeat can end it.
		while (Date.now() < end && hmi.runtime.hub.stats().clients > 0) {
			if (client.ws.readyState === WebSocket.OPEN) client.ws.pong(Buffer.from('not yours'), undefined, ignore);
			await new Promise((r) => setTimeout(r, 200));
		}
		expect(hmi.runtime.hub.stats().clients).toBe(0);
		client.ws.terminate();
	}, 30_000);

	test('a socket that reads answers our pings and stays', async () => {
		const client = await openRaw(hmi, token);
		await new Promise((r) => setTimeout(r, 3500));
		expect(client.ws.readyState).toBe(WebSocket.OPEN);
		expect(hmi.runtime.hub.stats().clients).toBe(1);
		client.ws.terminate();
	}, 30_000);
});

describe('a socket that re-subscribes within the limits but does not read', () => {
	let hmi: TestHmi;
	let token: string;
	beforeAll(async () => ({ hmi, token } = await filledHmi()));
	afterAll(() => hmi?.stop());

	test('its snapshots wait while it is over the unread limit, and the latest one arrives once it reads', async () => {
		const client = await openRaw(hmi, token);
		client.ws.pause();
		let peakBuffered = 0;
		let snapshotBytes = 0;
		// 3 per second for 5 s: within the re-subscription limit, 15 snapshots of ~500 KB asked for.
		for (let i = 1; i <= 15; i++) {
			client.ws.send(JSON.stringify({ type: 'sub', id: i, patterns: [`${LINE}/probe/+`] }));
			client.ws.send(JSON.stringify({ type: 'unsub', id: i - 1 }));
			for (let t = 0; t < 10; t++) {
				peakBuffered = Math.max(peakBuffered, hmi.runtime.hub.stats().largestBufferedBytes);
				await new Promise((r) => setTimeout(r, 33));
			}
		}
		client.ws.resume();
		const last = await waitFor(() => client.messages.find((m) => m.type === 'snapshot' && m.id === 15), 'the latest snapshot');
		snapshotBytes = JSON.stringify(last).length;
		const bound = MAX_BUFFERED_KB * 1024 + snapshotBytes;
		const snapshots = client.messages.filter((m) => m.type === 'snapshot').length;
		console.log(
			`[measure] re-subscribing never-reader: unread backlog peak ${(peakBuffered / 1024).toFixed(0)} KB (limit ${MAX_BUFFERED_KB} KB + one snapshot ${(snapshotBytes / 1024).toFixed(0)} KB); ` +
				`${snapshots} of 15 snapshots sent, the rest replaced by a later one`
		);
		expect(peakBuffered).toBeLessThanOrEqual(bound);
		expect(snapshots).toBeLessThan(15);
		expect(last.type === 'snapshot' && last.u).toHaveLength(TAGS);
		// The socket was never treated as abuse.
		expect(client.ws.readyState).toBe(WebSocket.OPEN);
		client.ws.terminate();
	}, 60_000);
});
