// A socket that reads, slowly, must not be taken for one that does not read. A snapshot of `acme/#` on a large
// plant is several megabytes: the UNS feed closed its socket (1008) at a fixed 2 MB of unread data, whatever
// WS_MAX_BUFFERED_KB said, and the hub at 4 × WS_MAX_BUFFERED_KB, although the tablet was reading all along.
// Now both judge by one set of rules from config.ws, and "not reading" means no bytes read between two checks.
// Real sockets against the real runtime, through a TCP relay that passes the server's bytes on at a tablet's
// pace, as a slow Wi-Fi link would.
import net from 'node:net';
import WebSocket from 'ws';
import { afterEach, describe, expect, test } from 'vitest';
import { CloseCode, Quality, type ServerMessage } from '../../src/lib/shared/protocol';
import { UNREAD_LIMIT_REASON } from '../../src/lib/server/hub/hub';
import { ids, plantWithLines, writePlantModel } from '../../src/lib/server/testing/plant-models';
import { startHmi, TEST_ORIGIN, waitFor, type TestHmi } from './harness';

/** Tags of 1 KB each: one snapshot of all of them is about 12 MB, a large plant's `acme/#`. */
const TAGS = 12_000;
const PAD = 'x'.repeat(1000);
const LINE = 'acme/utrecht/packaging/big';
const PLANT_MODEL = writePlantModel(plantWithLines([{ id: 'big', machines: ['probe'], tags: ids('v', TAGS) }]));
/** The tablet's link: bytes per second from the server to the client. */
const LINK_BYTES_PER_S = 3 * 1024 * 1024;

let hmi: TestHmi | undefined;
const relays: net.Server[] = [];
afterEach(async () => {
	for (const relay of relays.splice(0)) relay.close();
	await hmi?.stop();
	hmi = undefined;
});

async function start(env: Record<string, string>): Promise<TestHmi> {
	hmi = await startHmi({ PLANT_MODEL, ...env });
	const now = Date.now();
	for (let i = 0; i < TAGS; i++)
		hmi.runtime.store.apply({ path: `${LINE}/probe/v${i}`, value: `${i}|${PAD}`, quality: Quality.Good, sourceTs: now, serverTs: now, origin: 'mqtt' });
	return hmi;
}

/** A TCP relay to the HMI that passes the server's bytes on at `bytesPerSecond`; the client's go through at once. */
async function slowLink(target: string, bytesPerSecond: number): Promise<string> {
	const { port } = new URL(target);
	const relay = net.createServer((client) => {
		const server = net.connect(Number(port), '127.0.0.1');
		client.pipe(server);
		server.on('data', (chunk: Buffer) => {
			server.pause();
			client.write(chunk);
			setTimeout(() => server.resume(), (chunk.length / bytesPerSecond) * 1000);
		});
		const end = () => (client.destroy(), server.destroy());
		client.on('error', end).on('close', end);
		server.on('error', end).on('close', end);
	});
	relays.push(relay);
	await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
	return `ws://127.0.0.1:${(relay.address() as net.AddressInfo).port}/ws`;
}

interface Tablet {
	ws: WebSocket;
	messages: ServerMessage[];
	closed: { code: number; reason: string } | null;
}

async function tablet(url: string, token: string): Promise<Tablet> {
	const ws = new WebSocket(url, { origin: TEST_ORIGIN, headers: { cookie: `hmi_session=${token}` }, maxPayload: 64 * 1024 * 1024 });
	const t: Tablet = { ws, messages: [], closed: null };
	ws.on('message', (data) => t.messages.push(JSON.parse(data.toString()) as ServerMessage));
	ws.on('close', (code, reason) => (t.closed = { code, reason: reason.toString() }));
	ws.on('error', () => {});
	await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
	return t;
}

const snapshotOf = (t: Tablet) => t.messages.find((m): m is Extract<ServerMessage, { type: 'snapshot' }> => m.type === 'snapshot');

describe('a tablet on a slow link asks for a 12 MB snapshot', () => {
	test('with the UNS browser open and WS_MAX_BUFFERED_KB raised to 16 MB: the feed uses the same limits, the socket stays and reads it all', async () => {
		const h = await start({ WS_MAX_BUFFERED_KB: String(16 * 1024) });
		const t = await tablet(await slowLink(h.wsUrl, LINK_BYTES_PER_S), h.token);
		t.ws.send(JSON.stringify({ type: 'tree.open', id: 1, path: '' }));
		await waitFor(() => t.messages.some((m) => m.type === 'tree'), 'the tree root');
		let peak = 0;
		const timer = setInterval(() => (peak = Math.max(peak, h.runtime.hub.stats().largestBufferedBytes)), 20);
		const started = Date.now();
		t.ws.send(JSON.stringify({ type: 'sub', id: 1, patterns: ['acme/#'] }));
		const snapshot = await waitFor(() => snapshotOf(t) ?? t.closed, 'the snapshot (or a close)', 30_000);
		const readMs = Date.now() - started;
		clearInterval(timer);
		// A close would be queued behind the snapshot: give it time to arrive.
		await new Promise((r) => setTimeout(r, 1000));
		console.log(`[measure] 12 MB snapshot over a 3 MB/s link, UNS browser open: read in ${readMs} ms, server-side unread peak ${(peak / 1024 / 1024).toFixed(1)} MB; ${t.closed ? `closed ${JSON.stringify(t.closed)}` : 'open'}`);
		expect(t.closed).toBeNull();
		expect(h.runtime.hub.stats().clients).toBe(1);
		expect(snapshot).toMatchObject({ type: 'snapshot', id: 1 });
		expect((snapshot as Extract<ServerMessage, { type: 'snapshot' }>).u.length).toBeGreaterThanOrEqual(TAGS);
		// It went over the feed's old fixed limit (2 MB) on the way.
		expect(peak).toBeGreaterThan(2 * 1024 * 1024);
		t.ws.terminate();
	}, 60_000);

	test('with the default WS_MAX_BUFFERED_KB (1 MB): more unread than 4 × that, but reading between the checks, so it stays', async () => {
		// Checks (the heartbeat) every 2 s: the link needs about 4 s for the snapshot.
		const h = await start({ WS_HEARTBEAT_S: '2' });
		const t = await tablet(await slowLink(h.wsUrl, LINK_BYTES_PER_S), h.token);
		let peak = 0;
		const timer = setInterval(() => (peak = Math.max(peak, h.runtime.hub.stats().largestBufferedBytes)), 20);
		t.ws.send(JSON.stringify({ type: 'sub', id: 1, patterns: ['acme/#'] }));
		await waitFor(() => snapshotOf(t) ?? t.closed, 'the snapshot (or a close)', 30_000);
		// A heartbeat check or two after it was read.
		await new Promise((r) => setTimeout(r, 4500));
		clearInterval(timer);
		console.log(`[measure] 12 MB snapshot over a 3 MB/s link, checks every 2 s: server-side unread peak ${(peak / 1024 / 1024).toFixed(1)} MB (4 × WS_MAX_BUFFERED_KB = 4 MB); ${t.closed ? `closed ${JSON.stringify(t.closed)}` : 'open'}`);
		expect(peak).toBeGreaterThan(h.runtime.hub.limits.hardBufferedBytes);
		expect(t.closed).toBeNull();
		expect(snapshotOf(t)?.u.length).toBeGreaterThanOrEqual(TAGS);
		t.ws.terminate();
	}, 60_000);

	test('one that stops reading is closed 1008 unread-limit after two checks without progress', async () => {
		const h = await start({ WS_HEARTBEAT_S: '1' });
		const t = await tablet(h.wsUrl, h.token);
		t.ws.pause();
		const started = Date.now();
		t.ws.send(JSON.stringify({ type: 'sub', id: 1, patterns: ['acme/#'] }));
		await waitFor(() => h.runtime.hub.stats().clients === 0, 'the server to close it', 15_000);
		console.log(`[measure] a never-reading socket with a 12 MB snapshot queued: closed after ${Date.now() - started} ms`);
		expect(h.runtime.hub.stats().closedForUnread).toBe(1);
		t.ws.resume();
		await waitFor(() => t.closed, 'the close frame');
		expect(t.closed).toEqual({ code: CloseCode.Policy, reason: UNREAD_LIMIT_REASON });
	}, 60_000);
});
