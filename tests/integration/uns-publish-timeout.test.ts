import net from 'node:net';
import { Aedes } from 'aedes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { POST as publish } from '../../src/routes/api/uns/publish/+server';
import type { SessionUser } from '../../src/lib/server/auth/auth-service';
import { startHmi, waitFor, type TestHmi } from './harness';
import { call, signedIn, useRuntime } from './routes';

// A broker that takes publishes on hang/# but never confirms them (aedes waits for authorizePublish),
// as when the link drops between PUBLISH and PUBACK. Everything else it handles normally.

let hmi: TestHmi;
let admin: SessionUser;
let aedes: Aedes;
let server: net.Server;
const sockets = new Set<net.Socket>();
let hang = true;
/** Topics the broker accepted (delivered to subscribers), in order. */
const accepted: string[] = [];

beforeAll(async () => {
	aedes = await Aedes.createBroker({
		authorizePublish: (_client, packet, done) => {
			if (hang && packet.topic.startsWith('hang/')) return; // never confirmed
			done(null);
		}
	});
	aedes.on('publish', (packet, client) => client && accepted.push(packet.topic));
	server = net.createServer((socket) => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
		aedes.handle(socket);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as net.AddressInfo).port;
	hmi = await startHmi({ MQTT_URL: `mqtt://127.0.0.1:${port}` });
	useRuntime(hmi.runtime);
	admin = await signedIn(hmi.runtime, 'boss', 'admin');
	await waitFor(() => hmi.runtime.uns.connected, 'browse client connected');
});
afterAll(async () => {
	useRuntime(undefined);
	await hmi?.stop();
	for (const s of sockets) s.destroy();
	await new Promise<void>((resolve) => aedes?.close(() => resolve()));
	await new Promise<void>((resolve) => server?.close(() => resolve()));
});

describe('POST /api/uns/publish when the broker does not confirm', () => {
	test.each([1, 2] as const)(
		'QoS %i: 502 HMI_ERR_UNS_PUBLISH_TIMEOUT after the timeout, audited as failed, and not sent again after a reconnect',
		async (qos) => {
			hang = true;
			const topic = `hang/qos${qos}/note`;
			const t0 = Date.now();
			const res = await call(publish, { user: admin, body: { topic, payload: '"late?"', qos } });
			const waited = Date.now() - t0;
			console.log(`[measure] uns publish QoS ${qos} without confirmation answered after ${waited} ms`);
			expect(res).toMatchObject({ status: 502, body: { code: 'HMI_ERR_UNS_PUBLISH_TIMEOUT' } });
			const [entry] = hmi.runtime.audit.query({ action: 'uns.publish', limit: 1 });
			expect(entry).toMatchObject({ user: 'boss', target: topic, newValue: '"late?"', detail: { qos, retain: false, result: 'failed' } });

			// The link drops and comes back; the broker now confirms everything. mqtt.js would re-send a
			// packet still in its outgoing store here.
			hang = false;
			const client = hmi.runtime.uns as unknown as { connected: boolean };
			for (const s of sockets) s.destroy();
			await waitFor(() => !client.connected, 'browse client disconnected');
			await waitFor(() => client.connected, 'browse client reconnected', 10_000);
			// A publish after the reconnect goes through, and is the only one of the two on the broker.
			const ok = await call(publish, { user: admin, body: { topic: `hang/qos${qos}/after`, payload: '1', qos } });
			expect(ok.status).toBe(200);
			await new Promise((r) => setTimeout(r, 300));
			expect(accepted.filter((t) => t.startsWith(`hang/qos${qos}/`))).toEqual([`hang/qos${qos}/after`]);
		},
		20_000
	);

	test('while the browse client is not connected the publish is refused at once (503), nothing audited', async () => {
		const before = hmi.runtime.audit.query({ limit: 1000 }).length;
		server.close();
		for (const s of sockets) s.destroy();
		await waitFor(() => !hmi.runtime.uns.connected, 'browse client disconnected');
		const t0 = Date.now();
		const res = await call(publish, { user: admin, body: { topic: 'acme/x/note', payload: '1', qos: 1 } });
		console.log(`[measure] uns publish while disconnected answered after ${Date.now() - t0} ms`);
		expect(res).toMatchObject({ status: 503, body: { code: 'HMI_ERR_UNAVAILABLE' } });
		expect(hmi.runtime.audit.query({ limit: 1000 })).toHaveLength(before);
	});
});
