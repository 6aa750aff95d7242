import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSimulator } from '../../plc-sim/index';
import { Quality } from '../../src/lib/shared/protocol';
import { parsePlantModel } from '../../src/lib/server/domain/plant/load';
import { plantTags } from '../../src/lib/server/domain/plant/view';
import { freePort, startHmi, waitFor, type TestHmi } from './harness';

// The whole data path: PLC simulator → (OPC UA | MQTT via the embedded broker) → server → WebSocket client.
const plant = parsePlantModel(fs.readFileSync('config/plant.json', 'utf8'), 'config/plant.json');
const allTags = plantTags(plant);

describe('simulator to client', () => {
	let hmi: TestHmi;
	let sim: Awaited<ReturnType<typeof startSimulator>>;
	let opcuaPort: number;
	const simDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hmi-sim-'));

	beforeAll(async () => {
		opcuaPort = await freePort();
		hmi = await startHmi({ OPCUA_ENDPOINT: `opc.tcp://127.0.0.1:${opcuaPort}/UA/plc-sim` });
		sim = await startSimulator({ seed: 7, speed: 1, opcuaPort, mqttUrl: hmi.runtime.mqttUrl, mqttAccounts: hmi.runtime.embeddedBroker!.accounts, dataDir: simDir });
	}, 120_000);

	afterAll(async () => {
		await sim?.stop();
		await hmi?.stop();
		fs.rmSync(simDir, { recursive: true, force: true });
	});

	test('line 2 values arrive over MQTT, every plant model tag of the line', async () => {
		const client = hmi.connect();
		await client.subscribe(['acme/utrecht/packaging/line2/#']);
		const line2 = allTags.filter((t) => t.lineId === 'line2');
		await waitFor(() => line2.every((t) => client.values.has(t.path)), 'all line-2 tags', 20_000);
		const temperature = client.values.get('acme/utrecht/packaging/line2/filler/product_temperature')!;
		expect(typeof temperature.value).toBe('number');
		expect(temperature.quality).toBe(Quality.Good);
		expect(typeof client.values.get('acme/utrecht/packaging/line2/capper/state')?.value).toBe('string');
	});

	test('line 1 values arrive over OPC UA, every plant model tag of the line', async () => {
		await waitFor(() => hmi.runtime.health().sources['opcua-line1'].state === 'connected', 'opcua connected', 30_000);
		const client = hmi.connect();
		await client.subscribe(['acme/utrecht/packaging/line1/#']);
		const line1 = allTags.filter((t) => t.lineId === 'line1');
		await waitFor(() => line1.every((t) => client.values.has(t.path)), 'all line-1 tags', 20_000);
		expect(client.values.get('acme/utrecht/packaging/line1/filler/product_temperature')?.quality).toBe(Quality.Good);
		// Process values carry noise, so some line-1 value changes within a few seconds whatever the machines do.
		const first = new Map([...client.values].map(([p, v]) => [p, v.value]));
		await waitFor(() => [...client.values].some(([p, v]) => v.value !== first.get(p)), 'a changing line-1 value');
	});

	test('when the OPC UA server restarts, line 1 turns stale, then its items come back', async () => {
		const client = hmi.connect();
		await client.subscribe(['acme/utrecht/packaging/line1/#', '_sys/#']);
		const path = 'acme/utrecht/packaging/line1/filler/count_total';
		await waitFor(() => client.values.get(path)?.quality === Quality.Good, 'good value');
		await sim.stop();
		await waitFor(() => client.values.get(path)?.quality === Quality.Stale, 'stale after the server went away');
		expect(client.values.get('_sys/sources/opcua-line1/state')?.value).not.toBe('connected');
		sim = await startSimulator({ seed: 7, speed: 1, opcuaPort, mqttUrl: hmi.runtime.mqttUrl, mqttAccounts: hmi.runtime.embeddedBroker!.accounts, dataDir: simDir });
		const restartedAt = Date.now();
		await waitFor(() => client.values.get(path)?.quality === Quality.Good, 'good again after restart', 30_000);
		expect(client.values.get('_sys/sources/opcua-line1/state')?.value).toBe('connected');
		console.log(`[measure] OPC UA items back ${Date.now() - restartedAt} ms after the server restarted`);
	}, 90_000);
});
