import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Quality } from '../../src/lib/shared/protocol';
import { startHmi, waitFor, type TestHmi } from './harness';

// One message stamped ten years ahead used to stop the tag's history for good: everything after it was
// "out of order". Such a timestamp is now malformed at the connector (SOURCE_MAX_FUTURE_S).
const TEMP = 'acme/utrecht/packaging/line2/filler/product_temperature';
const TEN_YEARS_MS = 10 * 365 * 86_400_000;

let hmi: TestHmi;
let line2: mqtt.MqttClient;
beforeAll(async () => {
	hmi = await startHmi({ SOURCE_MAX_FUTURE_S: '60' });
	line2 = await mqtt.connectAsync(hmi.mqttUrlAs('line-line2'), { reconnectPeriod: 0 });
});
afterAll(async () => {
	await line2?.endAsync();
	await hmi?.stop();
});

const send = (value: number, ts: number) => line2.publishAsync(TEMP, JSON.stringify({ timestamp_ms: ts, value }));
const malformed = () => hmi.runtime.health().sources.mqtt.malformed['future-timestamp'] ?? 0;

describe('a source timestamp far in the future', () => {
	test('is refused as malformed: the tag turns Bad, keeps its value, and its history goes on', async () => {
		await send(6.1, Date.now());
		await waitFor(() => hmi.runtime.store.get(TEMP)?.value === 6.1, 'first value');
		await send(99, Date.now() + TEN_YEARS_MS);
		await waitFor(() => malformed() === 1, 'counted as future-timestamp');
		expect(hmi.runtime.store.get(TEMP)).toMatchObject({ value: 6.1, quality: Quality.Bad });

		await send(6.3, Date.now());
		await waitFor(() => hmi.runtime.store.get(TEMP)?.value === 6.3, 'a later value');
		expect(hmi.runtime.store.get(TEMP)?.quality).toBe(Quality.Good);
		// The refused message leaves a gap (NaN) at its arrival, not a sample ten years ahead; history goes on.
		const history = hmi.runtime.historian.query(TEMP, 0, Date.now() + TEN_YEARS_MS * 2, 100)!;
		expect(Array.from(history.values)).toEqual([6.1, NaN, 6.3]);
		expect(Math.max(...history.ts)).toBeLessThanOrEqual(Date.now());
	});

	test('a clock a little ahead, within the tolerance, is fine', async () => {
		const before = malformed();
		await send(6.4, Date.now() + 30_000);
		await waitFor(() => hmi.runtime.store.get(TEMP)?.value === 6.4, 'value taken');
		expect(malformed()).toBe(before);
	});
});

describe('a timestamp_ms in seconds', () => {
	// The tag store used to file it under January 1970 while the UNS browser flagged it: two parsers.
	test('is refused by the tag store and flagged by the UNS browser, the same message read the same way', async () => {
		await send(6.5, Date.now());
		await waitFor(() => hmi.runtime.store.get(TEMP)?.value === 6.5, 'a good value first');
		await send(42, Math.floor(Date.now() / 1000));
		await waitFor(() => hmi.runtime.health().sources.mqtt.malformed['timestamp-not-ms'] === 1, 'counted as timestamp-not-ms');
		expect(hmi.runtime.store.get(TEMP)).toMatchObject({ value: 6.5, quality: Quality.Bad });
		await waitFor(() => hmi.runtime.tree.find(TEMP)?.topic?.warnings.includes('uns.bad_timestamp') === true, 'flagged in the UNS tree');
	});
});

describe('a plant that allows its sources more time ahead (SOURCE_MAX_FUTURE_S=300)', () => {
	// Reproduced: the historian had its own 60 s limit, so a value 2 minutes ahead was shown live and
	// missing from the history. One setting now decides for both.
	let wide: TestHmi;
	let publisher: mqtt.MqttClient;
	beforeAll(async () => {
		wide = await startHmi({ SOURCE_MAX_FUTURE_S: '300' });
		publisher = await mqtt.connectAsync(wide.mqttUrlAs('line-line2'), { reconnectPeriod: 0 });
	});
	afterAll(async () => {
		await publisher?.endAsync();
		await wide?.stop();
	});

	test('a value stamped two minutes ahead is shown and recorded in the history', async () => {
		const ahead = Date.now() + 120_000;
		await publisher.publishAsync(TEMP, JSON.stringify({ timestamp_ms: ahead, value: 7.2 }));
		await waitFor(() => wide.runtime.store.get(TEMP)?.value === 7.2, 'value shown');
		expect(wide.runtime.store.get(TEMP)?.quality).toBe(Quality.Good);
		const history = wide.runtime.historian.query(TEMP, 0, ahead + 1, 100)!;
		expect({ ts: Array.from(history.ts), values: Array.from(history.values) }).toEqual({ ts: [ahead], values: [7.2] });
		expect(wide.runtime.historian.stats.droppedFuture).toBe(0);
	});
});
