import mqtt, { type MqttClient } from 'mqtt';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { commandTopic, startSimulator, type Simulator } from './index.js';
import { MACHINE_IDS, ORDER_TAGS, machineTags } from './model/plant.js';
import { eventually, freePort, logSink } from './test/helpers.js';

const LINE = 'acme/utrecht/packaging/line2';
const ORDER = `${LINE}/order`;
const ALL_TAGS = [
	...MACHINE_IDS.flatMap((m) => machineTags(m).map((t) => ({ path: `${LINE}/${m}/${t.id}`, type: t.type }))),
	...ORDER_TAGS.map((t) => ({ path: `${ORDER}/${t.id}`, type: t.type }))
];
const CHANGED_OVER = (latest: Map<string, Received>) =>
	MACHINE_IDS.every((m) => latest.get(`${LINE}/${m}/state`)?.value === 'changeover' && latest.get(`${LINE}/${m}/reason_code`)?.value === 401);

interface Received {
	timestamp_ms: number;
	value: number | string;
	retain: boolean;
}

type Broker = { port: number; close: () => Promise<void> };

async function startBroker(port = 0): Promise<Broker> {
	const { Aedes } = await import('aedes');
	const broker = await Aedes.createBroker();
	const server = net.createServer(broker.handle);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', resolve);
	});
	return {
		port: (server.address() as net.AddressInfo).port,
		close: async () => {
			await new Promise<void>((resolve) => broker.close(() => resolve()));
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
}

/** A subscriber that keeps the latest message per topic. */
async function subscriber(port: number): Promise<{ client: MqttClient; latest: Map<string, Received> }> {
	const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { protocolVersion: 4, reconnectPeriod: 0 });
	const latest = new Map<string, Received>();
	client.on('message', (topic, payload, packet) => {
		latest.set(topic, { ...JSON.parse(payload.toString()), retain: packet.retain });
	});
	await client.subscribeAsync(`${LINE}/#`, { qos: 0 });
	return { client, latest };
}

describe('MQTT publisher (line 2)', () => {
	let broker: Broker;
	let sim: Simulator;
	let live: Awaited<ReturnType<typeof subscriber>>;
	const sink = logSink();

	beforeAll(async () => {
		broker = await startBroker();
		sim = await startSimulator({ opcua: false, mqttUrl: `mqtt://127.0.0.1:${broker.port}`, seed: 2, log: sink.log });
		live = await subscriber(broker.port);
	});

	afterAll(async () => {
		await live?.client.endAsync();
		await sim?.stop();
		await broker?.close();
	});

	test('every tag arrives as retained JSON {timestamp_ms, value}', async () => {
		await eventually(() => (ALL_TAGS.every((t) => live.latest.has(t.path)) ? true : undefined), 10_000, 'all tags');
		const late = await subscriber(broker.port);
		try {
			await eventually(() => (ALL_TAGS.every((t) => late.latest.has(t.path)) ? true : undefined), 5_000, 'retained tags');
			for (const { path, type } of ALL_TAGS) {
				const msg = late.latest.get(path)!;
				expect(Number.isInteger(msg.timestamp_ms)).toBe(true);
				expect(Math.abs(msg.timestamp_ms - Date.now())).toBeLessThan(60_000);
				if (type === 'String') expect(msg.value).toBeTypeOf('string');
				else expect(msg.value).toBeTypeOf('number');
				if (type === 'UInt32') expect(Number.isInteger(msg.value) && (msg.value as number) >= 0).toBe(true);
			}
			// The work order of the line, already under way.
			expect(late.latest.get(`${ORDER}/number`)!.value).toMatch(/^WO-\d{2}-\d{4}$/);
			expect(late.latest.get(`${ORDER}/product`)!.value).toBe(sim.model.order('line2').product);
			expect(late.latest.get(`${ORDER}/good`)!.value).toBeGreaterThan(0);
			expect(late.latest.get(`${ORDER}/good`)!.value).toBeLessThan(late.latest.get(`${ORDER}/target`)!.value as number);
			const started = late.latest.get(`${ORDER}/started_ms`)!.value as number;
			expect(Number.isInteger(started) && started < Date.now()).toBe(true);
			// What a late subscriber gets first is the broker's retained copy.
			expect([...late.latest.values()].some((m) => m.retain)).toBe(true);
		} finally {
			await late.client.endAsync();
		}
		expect(Object.keys(live.latest.get(`${LINE}/filler/speed`)!).sort()).toEqual(['retain', 'timestamp_ms', 'value']);
	});

	test('inject_fault puts the capper in fault until clear_fault', async () => {
		const state = `${LINE}/capper/state`;
		live.client.publish(commandTopic('line2', 'capper', 'inject_fault'), JSON.stringify({ reason_code: 201 }));
		await eventually(() => (live.latest.get(state)?.value === 'fault' ? true : undefined), 5_000, 'fault state');
		await eventually(() => (live.latest.get(`${LINE}/capper/reason_code`)?.value === 201 ? true : undefined), 5_000, 'reason');
		expect(sim.model.status('line2', 'capper')).toEqual({ state: 'fault', reasonCode: 201 });

		live.client.publish(commandTopic('line2', 'capper', 'clear_fault'), '{}');
		await eventually(() => (live.latest.get(state)?.value !== 'fault' ? true : undefined), 5_000, 'fault cleared');
	});

	test('force_value holds a value until release_value', async () => {
		const tag = `${LINE}/labeler/glue_temperature`;
		live.client.publish(commandTopic('line2', 'labeler', 'force_value'), JSON.stringify({ tag: 'glue_temperature', value: 190 }));
		const forced = await eventually(() => (live.latest.get(tag)?.value === 190 ? live.latest.get(tag) : undefined), 5_000, 'forced value');
		// Held: the tag's next publication (its heartbeat at the latest) still carries the forced value.
		const next = await eventually(() => (live.latest.get(tag)!.timestamp_ms > forced.timestamp_ms ? live.latest.get(tag) : undefined), 10_000, 'next publication');
		expect(next.value).toBe(190);
		live.client.publish(commandTopic('line2', 'labeler', 'release_value'), JSON.stringify({ tag: 'glue_temperature' }));
		await eventually(() => (live.latest.get(tag)?.value !== 190 ? true : undefined), 5_000, 'released value');
	});

	test('malformed commands are logged once each and ignored', async () => {
		const before = sink.lines.length;
		live.client.publish(commandTopic('line2', 'capper', 'inject_fault'), 'not json');
		live.client.publish(`cmd/${LINE}/capper/self_destruct`, '{}');
		live.client.publish(commandTopic('line2', 'filler', 'force_value'), '{"tag":"torque","value":1}');
		const lines = await eventually(() => {
			const l = sink.lines.slice(before);
			return l.length >= 3 ? l : undefined;
		}, 5_000);
		expect(lines.filter((l) => l.includes('SIM_ERR_BAD_PAYLOAD'))).toHaveLength(1);
		expect(lines.filter((l) => l.includes('SIM_ERR_UNKNOWN_COMMAND'))).toHaveLength(1);
		expect(lines.filter((l) => l.includes('SIM_ERR_UNKNOWN_TAG'))).toHaveLength(1);
		// …and the simulator carries on publishing.
		const seen = live.latest.get(`${LINE}/labeler/count_total`)!.timestamp_ms;
		await eventually(() => (live.latest.get(`${LINE}/labeler/count_total`)!.timestamp_ms > seen ? true : undefined), 5_000);
	});

	test('malformed order commands are logged and ignored', async () => {
		const before = sink.lines.length;
		const number = sim.model.order('line2').number;
		live.client.publish(commandTopic('line2', 'order', 'complete_order'), '{"now":true}');
		live.client.publish(`cmd/${ORDER}/inject_fault`, '{"reason_code":201}');
		const lines = await eventually(() => {
			const l = sink.lines.slice(before);
			return l.length >= 2 ? l : undefined;
		}, 5_000);
		expect(lines.filter((l) => l.includes('SIM_ERR_BAD_PAYLOAD'))).toHaveLength(1);
		expect(lines.filter((l) => l.includes('SIM_ERR_UNKNOWN_COMMAND'))).toHaveLength(1);
		expect(sim.model.order('line2')).toMatchObject({ number, phase: 'running' });
	});

	// Last in this group: line 2 then stays in its changeover for 10–25 minutes.
	test('complete_order ends the order: every machine changes over (401); a second one is refused', async () => {
		const running = sim.model.order('line2');
		live.client.publish(commandTopic('line2', 'order', 'complete_order'), '{}');
		await eventually(() => (CHANGED_OVER(live.latest) ? true : undefined), 5_000, 'changeover on every machine');
		const order = sim.model.order('line2');
		expect(order).toMatchObject({ number: running.number, phase: 'changeover' });
		expect(live.latest.get(`${ORDER}/number`)!.value).toBe(order.number);
		const finalGood = live.latest.get(`${ORDER}/good`)!.value;
		expect(sink.lines).toContain('mqtt: complete_order on line2/order');

		const before = sink.lines.length;
		live.client.publish(commandTopic('line2', 'order', 'complete_order'), '');
		const refused = await eventually(() => sink.lines.slice(before).find((l) => l.includes('SIM_ERR_NO_RUNNING_ORDER')), 5_000);
		expect(refused).toContain(`refused command on cmd/${ORDER}/complete_order`);
		await new Promise((r) => setTimeout(r, 300));
		expect(live.latest.get(`${ORDER}/good`)!.value).toBe(finalGood);
		expect(CHANGED_OVER(live.latest)).toBe(true);
	});
});

describe('MQTT broker availability', () => {
	let sim: Simulator | undefined;
	let broker: Broker | undefined;

	afterEach(async () => {
		await sim?.stop();
		await broker?.close();
		sim = broker = undefined;
	});

	test('starts without a broker, logs it once, and publishes once the broker comes up', async () => {
		const port = await freePort();
		const sink = logSink();
		sim = await startSimulator({ opcua: false, mqttUrl: `mqtt://127.0.0.1:${port}`, log: sink.log });
		// Long enough for the first attempt and one retry.
		await new Promise((r) => setTimeout(r, 2_500));
		expect(sink.lines.filter((l) => l.includes('cannot reach'))).toHaveLength(1);

		broker = await startBroker(port);
		const sub = await subscriber(port);
		try {
			await eventually(() => (sub.latest.has(`${LINE}/filler/state`) ? true : undefined), 10_000, 'first publication');
			expect(sink.lines.filter((l) => l.includes('connected to'))).toHaveLength(1);
		} finally {
			await sub.client.endAsync();
		}
	});

	test('stops promptly while the broker is unreachable', async () => {
		const port = await freePort();
		sim = await startSimulator({ opcua: false, mqttUrl: `mqtt://127.0.0.1:${port}`, log: () => {} });
		await new Promise((r) => setTimeout(r, 300));
		const t0 = Date.now();
		await sim.stop();
		expect(Date.now() - t0).toBeLessThan(3_000);
	});

	test('ignores a retained command left on the broker', async () => {
		broker = await startBroker();
		const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { protocolVersion: 4, reconnectPeriod: 0 });
		await pub.publishAsync(commandTopic('line2', 'capper', 'inject_fault'), JSON.stringify({ reason_code: 203 }), { retain: true });
		await pub.endAsync();
		const sink = logSink();
		sim = await startSimulator({ opcua: false, mqttUrl: `mqtt://127.0.0.1:${broker.port}`, log: sink.log });
		await eventually(() => sink.lines.find((l) => l.includes('ignored retained command')), 5_000, 'log line');
		// Injected faults are held (no remaining time); random ones are not.
		expect(sim.model.state.lines[1].machines[1].fault?.remainingMs).not.toBeNull();
	});
});

describe('MQTT work orders at speed ×1200', () => {
	let broker: Broker;
	let sim: Simulator;
	let sub: Awaited<ReturnType<typeof subscriber>>;

	beforeAll(async () => {
		broker = await startBroker();
		sim = await startSimulator({ opcua: false, mqttUrl: `mqtt://127.0.0.1:${broker.port}`, seed: 1, speed: 1200, log: () => {} });
		sub = await subscriber(broker.port);
	});

	afterAll(async () => {
		await sub?.client.endAsync();
		await sim?.stop();
		await broker?.close();
	});

	test('after complete_order and the changeover the next order is published', async () => {
		const first = await eventually(() => sub.latest.get(`${ORDER}/number`)?.value, 5_000, 'an order number');
		const old = { product: sub.latest.get(`${ORDER}/product`)!.value, started: sub.latest.get(`${ORDER}/started_ms`)!.value as number };
		const completedAt = sim.model.plantTimeMs;
		sub.client.publish(commandTopic('line2', 'order', 'complete_order'), '{}');
		// 10–25 plant-minutes of changeover (and at most 7 of waiting) take under 2 s at ×1200; the command
		// itself arrives a moment (a plant-minute or so) after `completedAt`.
		const next = await eventually(() => {
			const n = sub.latest.get(`${ORDER}/number`)?.value;
			return n !== first ? n : undefined;
		}, 5_000, 'the next order');
		expect(next).toMatch(/^WO-\d{2}-\d{4}$/);
		expect(Number((next as string).slice(-4))).toBe(Number((first as string).slice(-4)) + 2);
		await eventually(() => (sub.latest.get(`${ORDER}/started_ms`)!.value !== old.started ? true : undefined), 2_000, 'started_ms');
		const started = sub.latest.get(`${ORDER}/started_ms`)!.value as number;
		expect(started - completedAt).toBeGreaterThanOrEqual(10 * 60_000);
		expect(started - completedAt).toBeLessThanOrEqual(40 * 60_000);
		expect(sub.latest.get(`${ORDER}/product`)!.value).not.toBe(old.product);
		expect(sub.latest.get(`${ORDER}/good`)!.value).toBeLessThan(sub.latest.get(`${ORDER}/target`)!.value as number);
	});
});
