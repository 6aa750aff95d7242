import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import mqtt from 'mqtt';
import { afterAll, describe, expect, test } from 'vitest';
import { Quality } from '../../src/lib/shared/protocol';
import { freePort, reachable, startHmi, waitFor, type TestHmi } from './harness';

// A Mosquitto of the test's own, on its own port, stopped and started again under a running server.
const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((p) => fs.existsSync(p));
if (!MOSQUITTO) console.warn('[skip] broker restart test: no mosquitto binary on this machine');

async function startMosquitto(port: number): Promise<ChildProcess> {
	// Without a configuration file Mosquitto listens on loopback only and allows anonymous clients.
	const child = spawn(MOSQUITTO!, ['-p', String(port)], { stdio: 'ignore' });
	const deadline = Date.now() + 10_000;
	while (!(await reachable('127.0.0.1', port, 200))) {
		if (Date.now() > deadline) throw new Error('mosquitto did not start');
		await new Promise((r) => setTimeout(r, 50));
	}
	return child;
}

async function stop(child: ChildProcess | undefined): Promise<void> {
	if (!child || child.exitCode !== null) return;
	const exited = new Promise((r) => child.once('exit', r));
	child.kill('SIGTERM');
	await exited;
}

describe.skipIf(!MOSQUITTO)('the MQTT broker stops and comes back', () => {
	let hmi: TestHmi;
	let broker: ChildProcess | undefined;
	afterAll(async () => {
		await hmi?.stop();
		await stop(broker);
	});

	test('values turn stale and the source says so; when it returns the server connects and subscribes again', async () => {
		const port = await freePort();
		broker = await startMosquitto(port);
		const url = `mqtt://127.0.0.1:${port}`;
		hmi = await startHmi({ MQTT_URL: url });
		await waitFor(() => hmi.runtime.health().sources.mqtt.state === 'connected', 'connected');
		const topic = 'acme/utrecht/packaging/line2/filler/product_temperature';
		const client = hmi.connect();
		await client.subscribe(['acme/#', '_sys/#']);

		const publish = async (value: number) => {
			const p = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
			await p.publishAsync(topic, JSON.stringify({ timestamp_ms: Date.now(), value }));
			await p.endAsync();
		};
		await publish(6.1);
		await waitFor(() => client.values.get(topic)?.value === 6.1, 'first value');

		await stop(broker);
		await waitFor(() => client.values.get(topic)?.quality === Quality.Stale, 'stale while the broker is away');
		expect(client.values.get('_sys/sources/mqtt/state')?.value).toBe('disconnected');
		expect(client.values.get(topic)?.value).toBe(6.1); // the last value stays readable, marked stale

		broker = await startMosquitto(port);
		const back = Date.now();
		await waitFor(() => hmi.runtime.health().sources.mqtt.state === 'connected', 'reconnected', 10_000);
		// The figure goes into the notes; the wait above is the only bound (tests do not assert speed).
		const reconnectMs = Date.now() - back;
		// Resubscribed: a new value flows again, and is good.
		await publish(6.4);
		await waitFor(() => client.values.get(topic)?.value === 6.4, 'value after the restart');
		expect(client.values.get(topic)?.quality).toBe(Quality.Good);
		console.log(`[measure] MQTT source connected again ${reconnectMs} ms after the broker came back`);
	}, 60_000);
});
