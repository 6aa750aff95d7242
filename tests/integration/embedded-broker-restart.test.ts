import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MQTT_BACKOFF } from '../../src/lib/server/connectors/mqtt-options';
import { Quality } from '../../src/lib/shared/protocol';
import { startHmi, waitFor, type TestHmi } from './harness';

// The in-process broker (aedes) goes down and comes back on the same port while the runtime keeps running.
const TEMPERATURE = 'acme/utrecht/packaging/line2/filler/product_temperature';
const CAPPER_STATE = 'acme/utrecht/packaging/line2/capper/state';
const FAULT_ALARM = 'acme/utrecht/packaging/line2/capper/_alarms/fault';

let hmi: TestHmi;
beforeAll(async () => {
	hmi = await startHmi();
});
afterAll(() => hmi?.stop());

async function publish(topic: string, value: unknown): Promise<void> {
	const p = await mqtt.connectAsync(hmi.mqttUrlAs('line-line2'), { reconnectPeriod: 0 });
	await p.publishAsync(topic, JSON.stringify({ timestamp_ms: Date.now(), value }));
	await p.endAsync();
}

describe('the embedded broker stops and starts again', () => {
	test('values turn stale, the source says disconnected, the connector is back and resubscribed, the journal keeps every row', async () => {
		const broker = hmi.runtime.embeddedBroker!;
		expect(broker).toBeDefined();
		await waitFor(() => hmi.runtime.health().sources.mqtt.state === 'connected', 'mqtt connected');
		const client = hmi.connect();
		await client.subscribe(['acme/#', '_sys/#']);

		// Before: a value and a raised alarm (journal row written while the broker is up).
		await publish(TEMPERATURE, 6.1);
		await publish(CAPPER_STATE, 'fault');
		await waitFor(() => client.values.get(TEMPERATURE)?.value === 6.1, 'first value');
		await waitFor(() => hmi.runtime.journal.query({ alarm: FAULT_ALARM, limit: 50 }).length > 0, 'alarm raised');
		const before = hmi.runtime.journal.query({ alarm: FAULT_ALARM, limit: 50 });

		await broker.stop();
		expect(broker.running).toBe(false);
		await waitFor(() => client.values.get(TEMPERATURE)?.quality === Quality.Stale, 'stale while the broker is down');
		await waitFor(() => client.values.get('_sys/sources/mqtt/state')?.value === 'disconnected', 'source disconnected');
		expect(client.values.get(TEMPERATURE)?.value).toBe(6.1); // last value readable, never shown as Good

		// During: an operator acknowledges while the broker is away; the row goes to SQLite regardless.
		const ack = hmi.runtime.alarms.act(FAULT_ALARM, { type: 'ack', user: 'op', comment: 'during broker outage' });
		expect(ack.ok).toBe(true);
		const during = hmi.runtime.journal.query({ alarm: FAULT_ALARM, limit: 50 });
		expect(during.length).toBe(before.length + 1);
		// Stays down for longer than the connector's first reconnect wait, so at least one retry fails.
		await new Promise((r) => setTimeout(r, 1500));
		expect(hmi.runtime.health().sources.mqtt.state).toBe('disconnected');

		await broker.start();
		const back = Date.now();
		// The connector is then waiting at most the backoff's cap before its next attempt.
		await waitFor(() => hmi.runtime.health().sources.mqtt.state === 'connected', 'reconnected', MQTT_BACKOFF.maxMs + 5_000);
		const reconnectMs = Date.now() - back;
		// Resubscribed: the next publish flows again and is Good; the fault clears and is journaled.
		await publish(TEMPERATURE, 6.4);
		await waitFor(() => client.values.get(TEMPERATURE)?.value === 6.4, 'value after the restart', 5_000);
		const resubscribedMs = Date.now() - back;
		expect(client.values.get(TEMPERATURE)?.quality).toBe(Quality.Good);
		expect(client.values.get('_sys/sources/mqtt/state')?.value).toBe('connected');
		await publish(CAPPER_STATE, 'running');
		await waitFor(() => hmi.runtime.journal.query({ alarm: FAULT_ALARM, limit: 50 }).length > during.length, 'alarm cleared');

		// Every row written before and during the outage is still there, unchanged.
		const after = hmi.runtime.journal.query({ alarm: FAULT_ALARM, limit: 50 });
		for (const row of during) expect(after).toContainEqual(row);
		expect(after.map((r) => r.action ?? r.to)).toEqual(expect.arrayContaining(['ack']));
		console.log(`[measure] embedded broker: MQTT source connected ${reconnectMs} ms and values flowing ${resubscribedMs} ms after the broker came back`);
		console.log(`[measure] embedded broker: journal rows before ${before.length}, during ${during.length}, after ${after.length}`);
	}, 60_000);
});
