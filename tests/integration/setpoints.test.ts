import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../plc-sim/index';
import { freePort, tempDir } from '../../plc-sim/test/helpers';
import { POST as setpointWrite } from '../../src/routes/api/setpoints/+server';
import type { SessionUser } from '../../src/lib/server/auth/auth-service';
import { startHmi, waitFor, type TestHmi } from './harness';
import { call, signedIn, useRuntime } from './routes';

const LINE1_SPEED = 'acme/utrecht/packaging/line1/filler/speed_target';
const LINE2_TEMP = 'acme/utrecht/packaging/line2/filler/product_temperature_setpoint';

// A setpoint written through the HMI reaches the real simulator (OPC UA for line 1, MQTT for line 2), the
// simulator applies it and reports it back on the tag; the audit has old and new value.
describe('setpoints against the simulator', () => {
	let hmi: TestHmi;
	let sim: Simulator;
	let tmp: Awaited<ReturnType<typeof tempDir>>;
	let operator: SessionUser;

	const write = (path: string, value: unknown, expected?: unknown) =>
		call(setpointWrite, { user: operator, body: expected === undefined ? { path, value } : { path, value, expected } });
	const tag = (path: string) => hmi.runtime.store.get(path);

	beforeAll(async () => {
		tmp = await tempDir('hmi-setpoints-');
		const opcuaPort = await freePort();
		hmi = await startHmi({ OPCUA_ENDPOINT: `opc.tcp://127.0.0.1:${opcuaPort}/UA/plc-sim` });
		useRuntime(hmi.runtime);
		operator = await signedIn(hmi.runtime, 'olga', 'operator');
		sim = await startSimulator({ opcuaPort, mqttUrl: hmi.runtime.mqttUrl, mqttAccounts: hmi.runtime.embeddedBroker!.accounts, dataDir: tmp.dir, seed: 4, log: () => {} });
		await waitFor(() => tag(LINE1_SPEED)?.quality === 0 && tag(LINE2_TEMP)?.quality === 0, 'both setpoint tags live', 30_000);
	});

	afterAll(async () => {
		useRuntime(undefined);
		await sim?.stop();
		await hmi?.stop();
		await tmp?.remove();
	});

	test('line 1 over OPC UA: the speed target goes to the PLC and comes back on its tag', async () => {
		expect(tag(LINE1_SPEED)?.value).toBe(500);
		const t0 = performance.now();
		const result = await write(LINE1_SPEED, 450, 500);
		expect(result.status, JSON.stringify(result.body)).toBe(200);
		expect(result.body).toMatchObject({ user: 'olga', action: 'setpoint.write', target: LINE1_SPEED, oldValue: 500, newValue: 450 });
		await waitFor(() => tag(LINE1_SPEED)?.value === 450, 'new speed target from the simulator');
		console.log(`[measure] OPC UA setpoint write → value back on the tag: ${(performance.now() - t0).toFixed(0)} ms`);
		expect(sim.model.state.lines[0].machines[0].setpoints).toEqual({ speed_target: 450 });
		const [row] = hmi.runtime.audit.query({ action: 'setpoint.write', target: LINE1_SPEED, limit: 1 });
		expect(row).toMatchObject({ oldValue: 500, newValue: 450, detail: { result: 'written', source: 'opcua-line1' } });
	});

	test('line 2 over MQTT: the temperature setpoint goes out on the command topic and comes back', async () => {
		expect(tag(LINE2_TEMP)?.value).toBe(6.5);
		const t0 = performance.now();
		const result = await write(LINE2_TEMP, 8);
		expect(result.status, JSON.stringify(result.body)).toBe(200);
		expect(result.body).toMatchObject({ oldValue: 6.5, newValue: 8 });
		await waitFor(() => tag(LINE2_TEMP)?.value === 8, 'new temperature setpoint from the simulator');
		console.log(`[measure] MQTT setpoint write → value back on the tag: ${(performance.now() - t0).toFixed(0)} ms`);
		expect(sim.model.state.lines[1].machines[0].setpoints).toEqual({ product_temperature_setpoint: 8 });
	});

	test.each([
		[LINE1_SPEED, 605, 400, 'HMI_ERR_SETPOINT_OUT_OF_RANGE'],
		[LINE1_SPEED, 455, 400, 'HMI_ERR_SETPOINT_OFF_STEP'],
		[LINE1_SPEED, '450', 400, 'HMI_ERR_SETPOINT_NOT_A_NUMBER'],
		['acme/utrecht/packaging/line1/filler/speed', 450, 404, 'HMI_ERR_SETPOINT_UNKNOWN']
	])('%s ← %s: %s %s, nothing written', async (path, value, status, code) => {
		const audited = hmi.runtime.audit.query({ limit: 100 }).length;
		const result = await write(path, value);
		expect([result.status, (result.body as { code: string }).code]).toEqual([status, code]);
		expect(hmi.runtime.audit.query({ limit: 100 }).length).toBe(audited);
	});

	test('a stale expectation is refused (409) and nothing is written', async () => {
		const result = await write(LINE1_SPEED, 400, 999);
		expect([result.status, (result.body as { code: string }).code]).toEqual([409, 'HMI_ERR_SETPOINT_CHANGED']);
		expect(sim.model.state.lines[0].machines[0].setpoints).toEqual({ speed_target: 450 });
	});

	test('refused while the source is down (409), nothing audited', async () => {
		await sim.stop();
		await waitFor(() => hmi.runtime.sources.get('opcua-line1')?.state !== 'connected', 'OPC UA source down');
		const audited = hmi.runtime.audit.query({ limit: 100 }).length;
		const result = await write(LINE1_SPEED, 400);
		expect([result.status, (result.body as { code: string }).code]).toEqual([409, 'HMI_ERR_SETPOINT_SOURCE_DOWN']);
		expect(hmi.runtime.audit.query({ limit: 100 }).length).toBe(audited);
	});
});
