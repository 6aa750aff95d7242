import mqtt from 'mqtt';
import { afterAll, expect, test } from 'vitest';
import { Quality } from '../../src/lib/shared/protocol';
import { startHmi, waitFor } from './harness';

const hmi = await startHmi();
afterAll(() => hmi.stop());

const LINE2_TAG = 'acme/utrecht/packaging/line2/filler/product_temperature';

test('the engines save what they hold before any connector is taken down (a PLC that does not answer can outlast the time to stop)', () => {
	const order = hmi.runtime.stopSequence;
	const at = (name: string) => {
		expect(order).toContain(name);
		return order.indexOf(name);
	};
	expect(order[0]).toBe('tag store intake');
	const firstConnector = Math.min(at('opc ua connectors'), at('mqtt connector'), at('uns browser'), at('embedded broker'));
	for (const engine of ['alarms', 'oee', 'historian', 'retention', 'clock watch']) expect(at(engine)).toBeLessThan(firstConnector);
	expect(order.at(-1)).toBe('storage');
});

test('stopping the HMI is not a plant event: its sources going away changes no value, quality or alarm', async () => {
	const publisher = await mqtt.connectAsync(hmi.mqttUrlAs('line-line2'), { reconnectPeriod: 0 });
	await publisher.publishAsync(LINE2_TAG, JSON.stringify({ value: 21.5 }));
	await publisher.endAsync();
	const { store } = hmi.runtime;
	await waitFor(() => store.get(LINE2_TAG)?.quality === Quality.Good && store.get('_sys/sources/mqtt/state')?.value === 'connected', 'line 2 live');

	const before = store.all().map((t) => [t.path, t.value, t.quality, t.updates]);
	await hmi.runtime.stop();
	// The MQTT connector and the embedded broker are gone, yet the engines saw nothing change.
	expect(store.all().map((t) => [t.path, t.value, t.quality, t.updates])).toEqual(before);
	expect(hmi.runtime.health().sources.mqtt.state).not.toBe('connected');
});
