import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Quality } from '../../src/lib/shared/protocol';
import { plantWithLines, writePlantModel } from '../../src/lib/server/testing/plant-models';
import { reachable, startHmi, waitFor, type TestHmi } from './harness';

// The MQTT path again, against a real Mosquitto (this machine runs one on 1883) instead of the embedded broker.
const MOSQUITTO_URL = process.env.MOSQUITTO_URL ?? 'mqtt://127.0.0.1:1883';
const { hostname, port } = new URL(MOSQUITTO_URL);
const available = await reachable(hostname, Number(port || 1883));
if (!available) console.warn(`[skip] Mosquitto tests: no broker reachable at ${MOSQUITTO_URL} (set MOSQUITTO_URL to run them)`);

describe.skipIf(!available)('live values through Mosquitto', () => {
	// A site of its own: the shared broker may carry other traffic under acme/.
	const site = `it-${randomBytes(4).toString('hex')}`;
	const base = `acme/${site}/packaging/line9/filler`;
	let hmi: TestHmi;
	beforeAll(async () => {
		const plant = writePlantModel(plantWithLines([{ id: 'line9', machines: ['filler'], tags: ['speed'] }], site));
		hmi = await startHmi({ MQTT_URL: MOSQUITTO_URL, PLANT_MODEL: plant });
		await waitFor(() => hmi.runtime.health().sources.mqtt.state === 'connected', 'mqtt connected');
	});
	afterAll(() => hmi?.stop());

	test('a UNS message published to Mosquitto reaches a WebSocket client', async () => {
		const client = hmi.connect();
		await client.subscribe([`${base}/#`]);
		const publisher = await mqtt.connectAsync(MOSQUITTO_URL);
		try {
			await publisher.publishAsync(`${base}/state`, JSON.stringify({ timestamp_ms: 1764000000000, value: 'running' }));
			await publisher.publishAsync(`${base}/speed`, '512');
			await waitFor(() => client.values.size === 2, 'two values');
			expect(client.values.get(`${base}/state`)).toEqual({ value: 'running', quality: Quality.Good, ts: 1764000000000 });
			expect(client.values.get(`${base}/speed`)?.value).toBe(512);
			expect(hmi.runtime.health().sources.mqtt.detail?.url).toBe(new URL(MOSQUITTO_URL).toString());
		} finally {
			await publisher.endAsync();
		}
	});
});
