import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { UnsServerMessage } from '../../src/lib/shared/protocol';
import { startHmi, waitFor, type TestHmi } from './harness';

/**
 * The UNS browser path end to end: a real broker, the browse client, the tree, the feed on /ws.
 * A foreign topic reaches the browser's tree but not the tag store (so never the historian or alarms).
 */
let hmi: TestHmi;
let publisher: mqtt.MqttClient;

beforeAll(async () => {
	hmi = await startHmi();
	publisher = await mqtt.connectAsync(hmi.mqttUrlAs());
});
afterAll(async () => {
	await publisher?.endAsync();
	await hmi?.stop();
});

const ofType = <T extends UnsServerMessage['type']>(msgs: unknown[], type: T) =>
	msgs.filter((m) => (m as { type: string }).type === type) as Extract<UnsServerMessage, { type: T }>[];

describe('UNS browse', () => {
	test('a foreign topic appears in the tree, not in the tag store', async () => {
		await waitFor(() => hmi.runtime.uns.connected, 'browse client connected');
		await publisher.publishAsync('foreign/site/area/line/cell/temp', JSON.stringify({ value: 21.5, timestamp_ms: Date.now() }), { retain: true });
		const node = await waitFor(() => hmi.runtime.tree.find('foreign/site/area/line/cell/temp'), 'tree node');
		// Delivered live, so without the retain flag (MQTT sets it only on delivery at subscribe time).
		expect(node.topic).toMatchObject({ kind: 'json', retained: false, warnings: [] });
		expect(node.origin).toBe('mqtt');
		expect(hmi.runtime.store.all().filter((t) => t.path.startsWith('foreign/'))).toEqual([]);
	});

	test('a plant topic is in both: the tag store (plant path) and the tree (browse), counted once in the tree', async () => {
		const path = 'acme/utrecht/packaging/line2/labeler/glue_temperature';
		await publisher.publishAsync(path, JSON.stringify({ value: 181, timestamp_ms: Date.now() }));
		await waitFor(() => hmi.runtime.store.all().some((t) => t.path === path), 'tag in store');
		await waitFor(() => hmi.runtime.tree.find(path), 'tree node');
		await new Promise((r) => setTimeout(r, 200));
		expect(hmi.runtime.tree.find(path)!.messages).toBe(1);
	});

	test('a topic under the enterprise that the plant model does not declare is in the tree only', async () => {
		const path = `${hmi.runtime.plant.enterprise}/test/area/line/cell/undeclared`;
		await publisher.publishAsync(path, JSON.stringify({ value: 1, timestamp_ms: Date.now() }));
		await waitFor(() => hmi.runtime.tree.find(path), 'tree node');
		await waitFor(() => hmi.runtime.health().sources.mqtt.refused.undeclared, 'refusal counted');
		expect(hmi.runtime.store.get(path)).toBeUndefined();
	});

	test('over /ws: open, search and detail', async () => {
		const client = hmi.connect();
		await client.opened;
		client.send({ type: 'tree.open', id: 1, path: 'foreign/site/area/line/cell' });
		const snap = await waitFor(() => ofType(client.messages, 'tree').find((m) => m.id === 1), 'snapshot');
		expect(snap.nodes.map((n) => n.p)).toEqual(['foreign/site/area/line/cell/temp']);
		await publisher.publishAsync('foreign/site/area/line/cell/new', '42');
		const batch = await waitFor(() => ofType(client.messages, 'tree').find((m) => m.nodes.some((n) => n.p.endsWith('/new'))), 'batch');
		expect(batch.nodes.find((n) => n.p.endsWith('/new'))).toMatchObject({ v: '42', k: 'number', w: ['uns.not_json'] });
		client.send({ type: 'tree.search', id: 2, query: 'cell/te' });
		const found = await waitFor(() => ofType(client.messages, 'tree.search')[0], 'search');
		expect(found.paths).toEqual(['foreign/site/area/line/cell/temp']);
		client.send({ type: 'tree.detail', id: 3, path: 'foreign/site/area/line/cell/new' });
		const detail = await waitFor(() => ofType(client.messages, 'tree.detail')[0], 'detail');
		expect(detail.history.map((m) => m[2])).toEqual(['42']);
	});
});
