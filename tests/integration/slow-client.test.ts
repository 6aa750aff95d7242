import http from 'node:http';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import mqtt from 'mqtt';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ServerMessage } from '../../src/lib/shared/protocol';
import { ids, plantWithLines, writePlantModel } from '../../src/lib/server/testing/plant-models';
import { startHmi, TEST_ORIGIN, waitFor, type TestHmi } from './harness';

// One client stops reading while another works under load: the server's buffer for the stuck one stays
// bounded (the hub skips it while its socket is full), and the other one's latency does not change.
const MAX_BUFFERED_KB = 64;
const TOPICS = 500;
const RATE_PER_S = 5000;
const PHASE_MS = 3000;
// One machine of a line of its own with TOPICS tags: the tag store takes only what the plant model declares.
const LINE = 'acme/utrecht/packaging/load';
const topic = (i: number) => `${LINE}/probe/v${i}`;
// Large values, so a few seconds of load overflow the kernel's socket buffers and reach the server's own.
const PAD = 'x'.repeat(1000);
const valueOf = (seq: number) => `${seq}|${PAD}`;

let hmi: TestHmi;
let server: http.Server;
/** Server-side TCP socket of each upgrade, by the test's own client label. */
const serverSockets = new Map<string, Duplex>();
let url: string;

beforeAll(async () => {
	const plant = writePlantModel(plantWithLines([{ id: 'load', machines: ['probe'], tags: ids('v', TOPICS) }]));
	hmi = await startHmi({ WS_MAX_BUFFERED_KB: String(MAX_BUFFERED_KB), PLANT_MODEL: plant });
	// A second front door to the same runtime that lets the test see the server side of each socket.
	server = http.createServer((_req, res) => res.writeHead(404).end());
	server.on('upgrade', (req, socket, head) => {
		serverSockets.set(String(req.headers['x-test-client']), socket);
		void hmi.runtime.handleUpgrade(req, socket, head);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	url = `ws://127.0.0.1:${(server.address() as net.AddressInfo).port}/ws`;
});
afterAll(async () => {
	server?.close();
	await hmi?.stop();
});

interface LiveClient {
	ws: WebSocket;
	latencies: number[];
	values: Map<string, unknown>;
	snapshotBytes: number;
}

async function liveClient(label: string): Promise<LiveClient> {
	const ws = new WebSocket(url, { origin: TEST_ORIGIN, headers: { cookie: `hmi_session=${hmi.token}`, 'x-test-client': label } });
	const client: LiveClient = { ws, latencies: [], values: new Map(), snapshotBytes: 0 };
	const paths = new Map<number, string>();
	ws.on('message', (data: Buffer) => {
		const now = Date.now();
		const msg = JSON.parse(data.toString()) as ServerMessage;
		if (msg.type !== 'snapshot' && msg.type !== 'delta') return;
		if (msg.type === 'snapshot') client.snapshotBytes = data.length;
		for (const [id, p] of msg.defs ?? []) paths.set(id, p);
		for (const [id, value, , ts] of msg.u) {
			client.values.set(paths.get(id)!, value);
			if (msg.type === 'delta') client.latencies.push(now - ts);
		}
	});
	await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
	ws.send(JSON.stringify({ type: 'sub', id: 1, patterns: [`${LINE}/probe/+`] }));
	await waitFor(() => client.values.size >= TOPICS, `${label} snapshot`);
	return client;
}

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
const summary = (xs: number[]) => {
	const sorted = [...xs].sort((a, b) => a - b);
	return `p50 ${percentile(sorted, 50)} ms, p99 ${percentile(sorted, 99)} ms (${xs.length} updates)`;
};

describe('a client that stops reading', () => {
	test('its server-side buffer stays bounded and a normal client keeps its latency', async () => {
		const publisher = await mqtt.connectAsync(hmi.mqttUrlAs('line-load'));
		let seq = 0;
		const publishBurst = async (n: number) => {
			const now = Date.now();
			await Promise.all(Array.from({ length: n }, () => publisher.publishAsync(topic(seq % TOPICS), JSON.stringify({ timestamp_ms: now, value: valueOf(seq++) }))));
		};
		await publishBurst(TOPICS);
		const normal = await liveClient('normal');
		const slow = await liveClient('slow');

		const load = async (ms: number, sample?: () => void) => {
			const end = Date.now() + ms;
			while (Date.now() < end) {
				await publishBurst(RATE_PER_S / 100);
				sample?.();
				await new Promise((r) => setTimeout(r, 10));
			}
		};

		// Phase 1: both read.
		await load(PHASE_MS);
		const baseline = normal.latencies.splice(0);

		// Phase 2: the slow one stops reading; its TCP window fills, then the server's buffer.
		slow.ws.pause();
		const skippedBefore = hmi.runtime.hub.stats().skippedFlushes;
		const slowSocket = serverSockets.get('slow') as net.Socket;
		let peakBuffered = 0;
		await load(PHASE_MS * 2, () => (peakBuffered = Math.max(peakBuffered, slowSocket.writableLength)));
		const underSlow = normal.latencies.splice(0);
		const skipped = hmi.runtime.hub.stats().skippedFlushes - skippedBefore;

		// The normal client kept receiving and is up to date; the slow one was skipped, not queued without end.
		const last = new Map(Array.from({ length: TOPICS }, (_, i) => [topic((seq - 1 - i) % TOPICS), valueOf(seq - 1 - i)]));
		await waitFor(() => [...last].every(([p, v]) => normal.values.get(p) === v), 'normal client up to date');
		expect(underSlow.length).toBeGreaterThan(0);
		expect(skipped).toBeGreaterThan(0);
		// Bound: the limit, plus the one batch that may go out while under it (no larger than a full snapshot).
		const bound = MAX_BUFFERED_KB * 1024 + normal.snapshotBytes;
		expect(peakBuffered).toBeLessThanOrEqual(bound);

		// Reading again, the slow client catches up with the latest values (conflated, nothing lost for good).
		slow.ws.resume();
		await waitFor(() => [...last].every(([p, v]) => slow.values.get(p) === v), 'slow client caught up', 20_000);

		console.log(`[measure] slow client: server-side buffer peak ${(peakBuffered / 1024).toFixed(0)} KB (limit ${MAX_BUFFERED_KB} KB, bound ${(bound / 1024).toFixed(0)} KB), fell behind ${skipped} time(s) and was skipped meanwhile`);
		console.log(`[measure] normal client latency, both reading: ${summary(baseline)}`);
		console.log(`[measure] normal client latency, other client stuck: ${summary(underSlow)}`);
		slow.ws.terminate();
		normal.ws.terminate();
		await publisher.endAsync();
	}, 60_000);
});
