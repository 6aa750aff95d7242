// A PLC's setpoint is rarely a Double: a Siemens REAL is a Float, a DINT an Int32, an INT an Int16, a BOOL a
// Boolean. The HMI writes each node in its own DataType (read from the server) and refuses a value the type
// cannot hold before anything is sent. Against a node-opcua server whose variables have those types.
import { DataType } from 'node-opcua';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { POST as setpointWrite } from '../../src/routes/api/setpoints/+server';
import { waitFor } from './harness';
import { PRESS, pressStateVariable, startPlcAndHmi, type PlcAndHmi, type TestSetpoint } from './opcua-test-plc';
import { call } from './routes';

/** Setpoint id, its node's type and first value, its limits in the plant model, a value to write, how the PLC holds it and the tag shows it. */
const CASES: [string, DataType, number | boolean | [number, number], Omit<TestSetpoint, 'id'>, number, unknown, unknown][] = [
	['real', DataType.Float, 6.5, { min: 0, max: 100, step: 0.5 }, 7.5, 7.5, 7.5],
	['lreal', DataType.Double, 100, { min: 0, max: 1000, step: 0.1 }, 12.3, 12.3, 12.3],
	['dint', DataType.Int32, 500, { min: -1_000_000, max: 1_000_000, step: 1 }, -123456, -123456, -123456],
	['int', DataType.Int16, 100, { min: -50_000, max: 50_000, step: 1 }, 1234, 1234, 1234],
	['word', DataType.UInt16, 1, { min: 0, max: 70_000, step: 1 }, 65535, 65535, 65535],
	['udint', DataType.UInt32, 1, { min: 0, max: 5e9, step: 1 }, 4_000_000_000, 4_000_000_000, 4_000_000_000],
	['byte', DataType.Byte, 1, { min: 0, max: 300, step: 1 }, 200, 200, 200],
	['sbyte', DataType.SByte, 1, { min: -200, max: 200, step: 1 }, -100, -100, -100],
	['lint', DataType.Int64, [0, 1], { min: -1e12, max: 1e12, step: 1 }, -5_000_000_000, [0xfffffffe, 0xd5fa0e00], -5_000_000_000],
	['bool', DataType.Boolean, false, { min: 0, max: 1, step: 1 }, 1, true, true]
];
const SYMBOL_NODE = '"DB_Press"."Target"';

describe('setpoint writes in the node’s own data type', () => {
	let bench: PlcAndHmi;
	const write = (id: string, value: unknown) => call(setpointWrite, { user: bench.operator, body: { path: `${PRESS}/${id}`, value } });
	const tag = (id: string) => bench.hmi.runtime.store.get(`${PRESS}/${id}`);

	beforeAll(async () => {
		bench = await startPlcAndHmi({
			name: 'setpoint-types',
			variables: [
				pressStateVariable,
				...CASES.map(([id, dataType, initial]) => ({ nodeId: `${PRESS}/${id}`, dataType, initial })),
				// A setpoint whose node is a PLC symbol, named in the plant model.
				{ nodeId: SYMBOL_NODE, dataType: DataType.Float, initial: 20 }
			],
			setpoints: [...CASES.map(([id, , , limits]) => ({ id, ...limits })), { id: 'target', min: 0, max: 100, step: 0.5, nodeId: SYMBOL_NODE }],
			live: [...CASES.map(([id]) => `${PRESS}/${id}`), `${PRESS}/target`]
		});
	}, 60_000);

	afterAll(() => bench?.stop());

	test.each(CASES)('%s (%s): written as its own type, applied, reported back and audited', async (id, dataType, _initial, _limits, value, held, shown) => {
		const result = await write(id, value);
		expect(result.status, JSON.stringify(result.body)).toBe(200);
		expect(result.body).toMatchObject({ newValue: value, detail: { result: 'written' } });
		expect(bench.plc.writes.filter((w) => w.nodeId === `${PRESS}/${id}`).map((w) => [w.dataType, w.outcome])).toEqual([[DataType[dataType], 'applied']]);
		expect(bench.plc.value(`${PRESS}/${id}`)).toEqual(held);
		await waitFor(() => tag(id)?.value === shown, `${id} back on its tag as ${String(shown)}`);
	});

	test("the setpoint's own node id (a PLC symbol) is where the write goes and where its tag is read", async () => {
		expect(tag('target')?.value).toBe(20);
		const result = await write('target', 42.5);
		expect(result.status, JSON.stringify(result.body)).toBe(200);
		expect(bench.plc.value(SYMBOL_NODE)).toBe(42.5);
		expect(bench.plc.writes.filter((w) => w.nodeId === SYMBOL_NODE).map((w) => w.dataType)).toEqual(['Float']);
		await waitFor(() => tag('target')?.value === 42.5, 'the symbol back on its tag');
	});

	test.each([
		['int', 40000, 'Int16'],
		['int', -40000, 'Int16'],
		['byte', 256, 'Byte'],
		['sbyte', -129, 'SByte']
	])('%s ← %s: within the model’s limits but not the node’s type %s: 400 HMI_ERR_SETPOINT_TYPE_RANGE, nothing sent', async (id, value, type) => {
		const before = bench.plc.value(`${PRESS}/${id}`);
		const received = bench.plc.writes.length;
		const result = await write(id, value);
		expect([result.status, (result.body as { code: string }).code]).toEqual([400, 'HMI_ERR_SETPOINT_TYPE_RANGE']);
		expect((result.body as { message: string }).message).toContain(`${value} does not fit the node's data type ${type}`);
		expect(bench.plc.writes.length).toBe(received);
		expect(bench.plc.value(`${PRESS}/${id}`)).toEqual(before);
		const [row] = bench.hmi.runtime.audit.query({ target: `${PRESS}/${id}`, limit: 1 });
		expect(row).toMatchObject({ newValue: value, detail: { result: 'failed' } });
	});
});
