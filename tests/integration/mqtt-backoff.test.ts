import net from 'node:net';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, test } from 'vitest';
import { Backoff, type BackoffPolicy } from '../../src/lib/shared/backoff';
import { hmiMqttOptions, reconnectWithBackoff } from '../../src/lib/server/connectors/mqtt-options';
import { waitFor } from './harness';

// The HMI's MQTT clients (plant connector, UNS browse client) against a real broker that goes away: mqtt.js
// must wait by the shared backoff policy between attempts, not by its fixed reconnectPeriod.

const policy: BackoffPolicy = { initialMs: 100, maxMs: 800, factor: 2, jitter: 'none', resetAfterMs: 500 };

interface Listening {
	port: number;
	stop(): Promise<void>;
}

/** An aedes broker on `port` (0: any); `stop` drops every client and stops listening, as a crash would. */
async function broker(port: number): Promise<Listening> {
	const aedes = await Aedes.createBroker();
	const sockets = new Set<net.Socket>();
	const server = net.createServer((socket) => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
		aedes.handle(socket);
	});
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
	return {
		port: (server.address() as net.AddressInfo).port,
		async stop() {
			const closed = new Promise<void>((resolve) => server.close(() => resolve()));
			for (const s of sockets) s.destroy();
			await new Promise<void>((resolve) => aedes.close(() => resolve()));
			await closed;
		}
	};
}

/**
 * An HMI MQTT client on `port` with the backoff, and every reconnect wait mqtt.js scheduled, ms — read from
 * its own debug log line, so it is the timer it set, not what the options said at some other moment.
 */
function hmiClient(port: number, extra: mqtt.IClientOptions = {}): { client: MqttClient; scheduled: number[] } {
	const scheduled: number[] = [];
	const log = (format: string, ...args: unknown[]) => {
		if (format.startsWith('_setupReconnect :: setting reconnectTimer')) scheduled.push(args[0] as number);
	};
	const client = mqtt.connect(`mqtt://127.0.0.1:${port}`, { ...hmiMqttOptions({ clientIdPrefix: 'backoff-test-' }), ...extra, log });
	reconnectWithBackoff(client, new Backoff(policy), () => performance.now());
	client.on('error', () => {});
	cleanup.push(() => new Promise<void>((resolve) => client.end(true, {}, () => resolve())));
	return { client, scheduled };
}

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
	for (const c of cleanup.splice(0).reverse()) await c();
});

describe('MQTT reconnect backoff', () => {
	test('while the broker is away each attempt waits longer, up to the cap; after a connection that stayed up, the first step again', async () => {
		let b = await broker(0);
		const port = b.port;
		const { client, scheduled } = hmiClient(port);
		await waitFor(() => client.connected, 'connected');

		await b.stop();
		await waitFor(() => scheduled.length >= 5, 'five attempts while the broker is away');
		expect(scheduled.slice(0, 5)).toEqual([100, 200, 400, 800, 800]);

		b = await broker(port);
		cleanup.push(() => b.stop());
		await waitFor(() => client.connected, 'connected again');
		// Up for longer than resetAfterMs: the next outage starts from the first step.
		await new Promise((r) => setTimeout(r, policy.resetAfterMs + 100));
		const before = scheduled.length;
		await b.stop();
		await waitFor(() => scheduled.length >= before + 2, 'attempts after the second loss');
		expect(scheduled.slice(before, before + 2)).toEqual([100, 200]);
	}, 30_000);

	test('a broker that accepts but never answers (connect timeout): the wait is the policy one from the first attempt on', async () => {
		const sockets = new Set<net.Socket>();
		const silent = net.createServer((s) => {
			sockets.add(s);
			s.on('error', () => {});
		});
		await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
		cleanup.push(() => new Promise<void>((resolve) => {
			for (const s of sockets) s.destroy();
			silent.close(() => resolve());
		}));
		const port = (silent.address() as net.AddressInfo).port;
		const { scheduled } = hmiClient(port, { connectTimeout: 150 });
		await waitFor(() => scheduled.length >= 3, 'three attempts');
		expect(scheduled.slice(0, 3)).toEqual([100, 200, 400]);
	}, 30_000);
});
