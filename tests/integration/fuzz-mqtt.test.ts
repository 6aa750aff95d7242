import fs from 'node:fs';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Quality } from '../../src/lib/shared/protocol';
import { parsePlantModel } from '../../src/lib/server/domain/plant/load';
import { plantTags } from '../../src/lib/server/domain/plant/view';
import { settledHeapMb } from './fuzz/memory';
import { DEFAULT_TOPICS_PER_CLASS, FUZZ_LINE, MQTT_CLASS_NAMES, MQTT_FUZZ_CLASSES, mqttFuzzCases, type MqttFuzzCase } from './fuzz/mqtt-payloads';
import { ids, plantWithLines, writePlantModel } from '../../src/lib/server/testing/plant-models';
import { startHmi, waitFor, type TestHmi } from './harness';

// 10,000 malformed MQTT payloads through the real path: publisher → embedded broker → connector → tag store
// → engines and hub. The server must survive every one, give each its defined outcome, and not grow.
const MAX_PAYLOAD_KB = 4;
const TOTAL = 10_000;
/** Heap may differ by this much after a forced GC (caches, JIT, SQLite statement objects). */
const HEAP_BOUND_MB = 20;

const plant = parsePlantModel(fs.readFileSync('config/plant.json', 'utf8'), 'config/plant.json');
const line2Topics = plantTags(plant)
	.filter((t) => t.lineId === 'line2')
	.map((t) => t.path);

let hmi: TestHmi;
let publisher: mqtt.MqttClient;
beforeAll(async () => {
	// The fuzz topics are plant tags (a line with one machine per class), so what happens to them is the plant's path.
	const plantModel = writePlantModel(plantWithLines([{ id: FUZZ_LINE, machines: MQTT_CLASS_NAMES, tags: ids('t', DEFAULT_TOPICS_PER_CLASS) }]));
	hmi = await startHmi({ MQTT_MAX_PAYLOAD_KB: String(MAX_PAYLOAD_KB), PLANT_MODEL: plantModel });
	await waitFor(() => hmi.runtime.health().sources.mqtt.state === 'connected', 'mqtt connected');
	publisher = await mqtt.connectAsync(hmi.mqttUrlAs());
});
afterAll(async () => {
	await publisher?.endAsync();
	await hmi?.stop();
});

/** Publishes every case and waits until the connector has taken in all of them. */
async function run(cases: MqttFuzzCase[]): Promise<void> {
	const mqttHealth = () => hmi.runtime.health().sources.mqtt;
	const start = mqttHealth().messages;
	for (let i = 0; i < cases.length; i += 250) {
		await Promise.all(cases.slice(i, i + 250).map((c) => publisher.publishAsync(c.topic, c.payload, { qos: 0 })));
	}
	await waitFor(() => mqttHealth().messages - start >= cases.length, `${cases.length} messages taken in`, 30_000);
}

describe('fuzzed MQTT payloads', () => {
	test('10,000 malformed payloads: each gets its defined outcome, the server lives on, memory stays flat', async () => {
		const opts = { maxPayloadBytes: MAX_PAYLOAD_KB * 1024, plantTopics: line2Topics };
		// Warm-up with another seed: creates the fuzz topics' tags and warms the JIT before measuring.
		await run(mqttFuzzCases({ ...opts, seed: 1, total: 1100 }));
		const heapBefore = await settledHeapMb();
		const malformedBefore = { ...hmi.runtime.health().sources.mqtt.malformed };

		const cases = mqttFuzzCases({ ...opts, seed: 20261124, total: TOTAL });
		const started = Date.now();
		await run(cases);
		const elapsedMs = Date.now() - started;
		const heapAfter = await settledHeapMb();

		const counts = new Map<string, number>();
		for (const c of cases) counts.set(c.cls, (counts.get(c.cls) ?? 0) + 1);
		const malformed = hmi.runtime.health().sources.mqtt.malformed;
		const expectedByReason = new Map<string, number>();
		for (const cls of MQTT_CLASS_NAMES) {
			const rule = MQTT_FUZZ_CLASSES[cls];
			if (rule.outcome === 'malformed') expectedByReason.set(rule.reason, (expectedByReason.get(rule.reason) ?? 0) + counts.get(cls)!);
		}
		for (const [reason, expected] of expectedByReason) expect([reason, (malformed[reason] ?? 0) - (malformedBefore[reason] ?? 0)]).toEqual([reason, expected]);

		// Per class: malformed → every topic it hit is Bad; bad topics make no tag; accepted → the last value sent.
		const lastByTopic = new Map(cases.map((c) => [c.topic, c]));
		for (const [topic, c] of lastByTopic) {
			const rule = MQTT_FUZZ_CLASSES[c.cls];
			const tag = hmi.runtime.store.get(topic);
			if (c.cls === 'bad-topic') expect(tag).toBeUndefined();
			else if (rule.outcome === 'malformed') expect([topic, tag?.quality]).toEqual([topic, Quality.Bad]);
			else {
				const expected = c.payload.length === 0 ? null : (JSON.parse(c.payload.toString()) as { value: unknown }).value;
				expect([topic, tag?.quality, tag?.value]).toEqual([topic, Quality.Good, expected]);
			}
		}

		// Still alive and serving: a good value reaches a fresh client.
		const client = hmi.connect();
		await client.subscribe(['acme/utrecht/packaging/line2/#']);
		const topic = 'acme/utrecht/packaging/line2/filler/product_temperature';
		await publisher.publishAsync(topic, JSON.stringify({ timestamp_ms: Date.now(), value: 6.25 }));
		await waitFor(() => client.values.get(topic)?.value === 6.25, 'a good value after the fuzz');
		expect(client.values.get(topic)?.quality).toBe(Quality.Good);

		for (const cls of MQTT_CLASS_NAMES) {
			const rule = MQTT_FUZZ_CLASSES[cls];
			const outcome = rule.outcome === 'accepted' ? 'accepted as sent' : cls === 'bad-topic' ? 'no tag, counted as bad-topic' : `Bad quality, counted as ${rule.reason}`;
			console.log(`[measure] fuzz MQTT ${cls}: ${counts.get(cls)} payloads → ${outcome}`);
		}
		console.log(`[measure] fuzz MQTT: ${cases.length} payloads in ${elapsedMs} ms; heap after GC ${heapBefore.toFixed(1)} MB before, ${heapAfter.toFixed(1)} MB after (bound +${HEAP_BOUND_MB} MB)`);
		expect(heapAfter - heapBefore).toBeLessThan(HEAP_BOUND_MB);
	}, 120_000);
});
