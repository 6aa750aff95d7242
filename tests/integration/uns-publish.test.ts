import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { POST as publish } from '../../src/routes/api/uns/publish/+server';
import { POST as rebirth } from '../../src/routes/api/uns/rebirth/+server';
import type { SessionUser } from '../../src/lib/server/auth/auth-service';
import { MAX_PUBLISH_BYTES } from '../../src/lib/server/uns/publish';
import { startHmi, waitFor, type TestHmi } from './harness';
import { call, signedIn, useRuntime } from './routes';

let hmi: TestHmi;
let admin: SessionUser;

beforeAll(async () => {
	hmi = await startHmi();
	useRuntime(hmi.runtime);
	admin = await signedIn(hmi.runtime, 'boss', 'admin');
	await waitFor(() => hmi.runtime.uns.connected, 'browse client connected');
});
afterAll(async () => {
	useRuntime(undefined);
	await hmi?.stop();
});

/** The retained message of `topic` as a fresh subscriber sees it (undefined when there is none). */
async function retainedOf(topic: string): Promise<string | undefined> {
	const client = await mqtt.connectAsync(hmi.mqttUrlAs());
	try {
		const got = new Promise<string>((resolve) => client.on('message', (t, p, packet) => t === topic && packet.retain && resolve(p.toString())));
		await client.subscribeAsync(topic);
		return await Promise.race([got, new Promise<undefined>((r) => setTimeout(() => r(undefined), 500))]);
	} finally {
		await client.endAsync();
	}
}

describe('POST /api/uns/publish', () => {
	const topic = 'acme/test/area/line/cell/note';

	test('an admin publishes a retained value: on the broker, in the tree, in the audit', async () => {
		const payload = JSON.stringify({ value: 'hello', timestamp_ms: Date.now() });
		const res = await call(publish, { user: admin, body: { topic, payload, qos: 1, retain: true } });
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ ok: true, action: 'uns.publish' });
		expect(await retainedOf(topic)).toBe(payload);
		await waitFor(() => hmi.runtime.tree.find(topic)?.topic?.preview === payload, 'tree shows the value');
		const [entry] = hmi.runtime.audit.query({ action: 'uns.publish', limit: 10 });
		expect(entry).toMatchObject({ user: 'boss', action: 'uns.publish', target: topic, newValue: payload, detail: { qos: 1, retain: true } });
	});

	test('an empty retained payload clears the retained value and is audited as a clear', async () => {
		const res = await call(publish, { user: admin, body: { topic, payload: '', qos: 1, retain: true } });
		expect(res.body).toMatchObject({ ok: true, action: 'uns.clear' });
		expect(await retainedOf(topic)).toBeUndefined();
		expect(hmi.runtime.audit.query({ action: 'uns.clear', limit: 10 })).toEqual([expect.objectContaining({ target: topic, user: 'boss' })]);
	});

	test.each([
		['a wildcard topic', { topic: 'acme/#', payload: '1' }],
		['a + level', { topic: 'acme/+/x', payload: '1' }],
		['an empty level', { topic: 'acme//x', payload: '1' }],
		['a broker topic', { topic: '$SYS/x', payload: '1' }],
		['a payload over the limit', { topic, payload: 'x'.repeat(MAX_PUBLISH_BYTES + 1) }],
		['a bad QoS', { topic, payload: '1', qos: 3 }],
		['no topic', { payload: '1' }]
	])('%s → 400, nothing published or audited', async (_name, body) => {
		const before = hmi.runtime.audit.query({ limit: 1000 }).length;
		const res = await call(publish, { user: admin, body });
		expect(res.status).toBe(400);
		expect(res.body).toMatchObject({ code: 'HMI_ERR_BAD_REQUEST' });
		expect(hmi.runtime.audit.query({ limit: 1000 })).toHaveLength(before);
	});

	test.each([
		['a setpoint command', 'cmd/acme/utrecht/packaging/line2/filler/setpoint/speed_target', '{"value":400}'],
		['a fault injection command', 'cmd/acme/utrecht/packaging/line2/capper/inject_fault', '{"reason_code":204}'],
		['an alarm record', 'acme/utrecht/packaging/line2/filler/_alarms/estop', '{"state":"normal"}'],
		['a made-up alarm', 'acme/utrecht/packaging/line2/_alarms/fire', '{"state":"unack_active"}'],
		['a KPI', 'acme/utrecht/packaging/line1/_kpi/oee', '0.99'],
		['a system tag', '_sys/sources/mqtt/state', '"connected"'],
		["a plant tag of the MQTT line", 'acme/utrecht/packaging/line2/filler/state', '"planned_stop"'],
		["a plant tag of the OPC UA line", 'acme/utrecht/packaging/line1/filler/reason_code', '204'],
		['Sparkplug data', 'spBv1.0/acme-utrecht/NDATA/utilities', 'x']
	])('%s → 403 HMI_ERR_UNS_PUBLISH_PROTECTED, nothing published or audited', async (_name, topic, payload) => {
		const watcher = await mqtt.connectAsync(hmi.mqttUrlAs());
		const seen: string[] = [];
		watcher.on('message', (t) => seen.push(t));
		await watcher.subscribeAsync(topic);
		const before = hmi.runtime.audit.query({ limit: 1000 }).length;
		try {
			const res = await call(publish, { user: admin, body: { topic, payload, qos: 1, retain: true } });
			expect(res).toMatchObject({ status: 403, body: { code: 'HMI_ERR_UNS_PUBLISH_PROTECTED' } });
			await new Promise((r) => setTimeout(r, 100));
			expect(seen).toEqual([]);
			expect(hmi.runtime.audit.query({ limit: 1000 })).toHaveLength(before);
		} finally {
			await watcher.endAsync();
		}
	});
});

describe('POST /api/uns/rebirth', () => {
	test('an admin asks an edge node for a rebirth: the NCMD goes out on the broker and is audited', async () => {
		const watcher = await mqtt.connectAsync(hmi.mqttUrlAs());
		try {
			const got = new Promise<{ topic: string; bytes: number }>((resolve) => watcher.on('message', (topic, p) => resolve({ topic, bytes: p.length })));
			await watcher.subscribeAsync('spBv1.0/plant/NCMD/#');
			const res = await call(rebirth, { user: admin, body: { group: 'plant', edge: 'edge1' } });
			expect(res).toMatchObject({ status: 200, body: { ok: true, topic: 'spBv1.0/plant/NCMD/edge1' } });
			const msg = await got;
			expect(msg.topic).toBe('spBv1.0/plant/NCMD/edge1');
			expect(msg.bytes).toBeGreaterThan(0);
		} finally {
			await watcher.endAsync();
		}
		expect(hmi.runtime.audit.query({ action: 'uns.rebirth', limit: 10 })).toEqual([
			expect.objectContaining({ user: 'boss', target: 'plant/edge1', detail: { topic: 'spBv1.0/plant/NCMD/edge1' } })
		]);
	});

	test.each([
		['a wildcard group', { group: '+', edge: 'e' }],
		['a slash in the edge id', { group: 'g', edge: 'e/x' }],
		['no edge', { group: 'g' }]
	])('%s → 400', async (_name, body) => {
		const res = await call(rebirth, { user: admin, body });
		expect(res).toMatchObject({ status: 400, body: { code: 'HMI_ERR_BAD_REQUEST' } });
	});
});
