import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AlarmRecord } from '../../src/lib/shared/alarms';
import { GET as healthz } from '../../src/routes/healthz/+server';
import { startHmi, waitFor, type TestHmi } from './harness';
import { call, signedIn, useRuntime } from './routes';

// Spoofed plant data through the real path (broker → connector → tag store → engines → hub). The publisher
// here signs in as the HMI, which may publish anything: as on an external broker without ACLs, the HMI's
// own ownership gate must hold. (tests/integration/broker-auth.test.ts covers the broker's side.)
const L1 = 'acme/utrecht/packaging/line1';
const L2 = 'acme/utrecht/packaging/line2';
const now = () => Date.now();
const uns = (value: unknown) => JSON.stringify({ timestamp_ms: now(), value });

let hmi: TestHmi;
let spoofer: mqtt.MqttClient;
let line2: mqtt.MqttClient;
const refused = (reason: string) => hmi.runtime.health().sources.mqtt.refused[reason] ?? 0;
/** Messages the MQTT source has taken in: the point after which a message has had its effect, whatever it was. */
const taken = () => hmi.runtime.health().sources.mqtt.messages;
const record = (path: string) => hmi.runtime.store.get(path)?.value as AlarmRecord | undefined;
const journalOf = (alarm: string) => hmi.runtime.journal.query({ alarm, limit: 100 });

beforeAll(async () => {
	// Line 1 is an OPC UA line; its server is unreachable here, so none of its tags exist until a source writes them.
	hmi = await startHmi();
	await waitFor(() => hmi.runtime.health().sources.mqtt.state === 'connected', 'mqtt connected');
	spoofer = await mqtt.connectAsync(hmi.mqttUrlAs('hmi'), { reconnectPeriod: 0 });
	line2 = await mqtt.connectAsync(hmi.mqttUrlAs('line-line2'), { reconnectPeriod: 0 });
});
afterAll(async () => {
	await spoofer?.endAsync();
	await line2?.endAsync();
	await hmi?.stop();
});

describe('nobody writes what they do not own', () => {
	test('an MQTT message on an OPC UA line tag is refused: no value, no E-stop alarm, no journal row', async () => {
		const before = refused('not-owner');
		const seen = taken();
		await spoofer.publishAsync(`${L1}/filler/reason_code`, uns(204));
		await waitFor(() => taken() > seen, 'message taken in');
		expect(hmi.runtime.store.get(`${L1}/filler/reason_code`)).toBeUndefined();
		expect(record(`${L1}/filler/_alarms/estop`)?.state).toBe('normal');
		expect(journalOf(`${L1}/filler/_alarms/estop`)).toEqual([]);
		// Refused, and counted as such.
		expect(refused('not-owner')).toBe(before + 1);
	});

	test("a faked machine state on an OPC UA line does not suppress that machine's alarms", async () => {
		const before = refused('not-owner');
		const seen = taken();
		await spoofer.publishAsync(`${L1}/filler/state`, uns('planned_stop'));
		await waitFor(() => taken() > seen, 'message taken in');
		expect(hmi.runtime.store.get(`${L1}/filler/state`)).toBeUndefined();
		expect(record(`${L1}/filler/_alarms/product_temperature_h`)?.state).toBe('normal');
		// Refused, and counted as such.
		expect(refused('not-owner')).toBe(before + 1);
	});

	test("a retained alarm record on the alarm's own path does not change what operators see", async () => {
		// A real E-stop on line 2, from its own controller.
		await line2.publishAsync(`${L2}/filler/reason_code`, uns(204));
		await waitFor(() => record(`${L2}/filler/_alarms/estop`)?.state === 'unack_active', 'E-stop annunciated');
		const client = hmi.connect();
		await client.subscribe([`${L2}/filler/_alarms/#`]);
		const before = refused('derived-namespace');
		const seen = taken();
		const fake: Partial<AlarmRecord> = { state: 'normal', priority: 1, active: false, acked: true };
		await spoofer.publishAsync(`${L2}/filler/_alarms/estop`, JSON.stringify(fake), { retain: true });
		await waitFor(() => taken() > seen, 'message taken in');
		expect(record(`${L2}/filler/_alarms/estop`)).toMatchObject({ state: 'unack_active', active: true, acked: false });
		expect((client.values.get(`${L2}/filler/_alarms/estop`)?.value as unknown as AlarmRecord).state).toBe('unack_active');
		expect(hmi.runtime.store.get(`${L2}/filler/_alarms/estop`)?.origin).toBe('alarms');
		// The UNS browser shows the engine's record at that path too, not the publisher's claim.
		await new Promise((r) => setTimeout(r, 200));
		expect(hmi.runtime.tree.find(`${L2}/filler/_alarms/estop`)?.topic?.preview).toContain('unack_active');
		// Refused, and counted as such.
		expect(refused('derived-namespace')).toBe(before + 1);
	});

	test('a made-up alarm is never an alarm', async () => {
		const before = refused('derived-namespace');
		const seen = taken();
		await spoofer.publishAsync(`${L2}/_alarms/fire`, JSON.stringify({ state: 'unack_active', priority: 1, active: true, message: { en: 'Fire', nl: 'Brand' } }), { retain: true });
		await waitFor(() => taken() > seen, 'message taken in');
		expect(hmi.runtime.store.get(`${L2}/_alarms/fire`)).toBeUndefined();
		expect(hmi.runtime.alarms.records().map((r) => r.id)).not.toContain(`${L2}/_alarms/fire`);
		// Refused, and counted as such.
		expect(refused('derived-namespace')).toBe(before + 1);
	});

	test('a KPI cannot be faked either', async () => {
		const before = refused('derived-namespace');
		const seen = taken();
		await spoofer.publishAsync(`${L2}/filler/_kpi/oee`, uns(0.99));
		await waitFor(() => taken() > seen, 'message taken in');
		expect(hmi.runtime.store.get(`${L2}/filler/_kpi/oee`)?.origin ?? 'oee').toBe('oee');
		// Refused, and counted as such.
		expect(refused('derived-namespace')).toBe(before + 1);
	});

	test("a malformed payload on another source's tag does not mark that tag Bad", async () => {
		const before = refused('not-owner');
		const seen = taken();
		await spoofer.publishAsync(`${L1}/capper/torque`, '{"broken');
		await waitFor(() => taken() > seen, 'message taken in');
		expect(hmi.runtime.store.get(`${L1}/capper/torque`)).toBeUndefined();
		// Refused, and counted as such.
		expect(refused('not-owner')).toBe(before + 1);
	});

	test('thousands of junk topics under the enterprise feed the UNS browser only: no tags, no history, nothing streamed', async () => {
		const JUNK = 5000;
		const client = hmi.connect();
		await client.subscribe(['acme/#']);
		const tagsBefore = hmi.runtime.store.size;
		const valuesBefore = client.values.size;
		const before = refused('undeclared');
		for (let i = 0; i < JUNK; i += 500) {
			await Promise.all(Array.from({ length: 500 }, (_, k) => spoofer.publishAsync(`acme/junk/j${(i + k) % 50}/x/y/t${i + k}`, uns(i + k))));
		}
		await waitFor(() => refused('undeclared') - before >= JUNK, `${JUNK} refusals`, 30_000);
		await waitFor(() => hmi.runtime.tree.find(`acme/junk/j0/x/y/t0`), 'junk in the UNS tree');
		expect(hmi.runtime.store.size).toBe(tagsBefore);
		expect(hmi.runtime.historian.has('acme/junk/j0/x/y/t0')).toBe(false);
		await new Promise((r) => setTimeout(r, 200));
		expect([...client.values.keys()].filter((p) => p.startsWith('acme/junk/'))).toEqual([]);
		expect(client.values.size).toBe(valuesBefore);
	}, 60_000);

	test('refusals are counted by reason for admins in /healthz?detail=1, and the broker counts its own', async () => {
		useRuntime(hmi.runtime);
		try {
			const admin = await signedIn(hmi.runtime, 'health-admin', 'admin');
			const detailed = await call(healthz, { user: admin, path: '/healthz?detail=1', method: 'GET' });
			const mqttHealth = (detailed.body as { sources: Record<string, { refused: Record<string, number> }> }).sources.mqtt;
			expect(mqttHealth.refused).toMatchObject({ 'not-owner': expect.any(Number), 'derived-namespace': expect.any(Number), undeclared: expect.any(Number) });
			expect(detailed.body).toMatchObject({ broker: { refusals: { connect: expect.any(Number), publish: expect.any(Number), subscribe: expect.any(Number) } } });
		} finally {
			useRuntime(undefined);
		}
	});
});
