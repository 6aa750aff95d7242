// Reproduced on a plant: an OPC UA setpoint write that got no answer in time was reported to the operator as
// failed (502) and audited so — and the PLC applied it 15 s later. Now the operator is told the outcome is
// unknown (504), the session and secure channel the write went on are closed, so a server that still holds the
// request drops it, and once connected again the node is read back and what it holds goes into the audit.
import { DataType } from 'node-opcua';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { POST as setpointWrite } from '../../src/routes/api/setpoints/+server';
import { waitFor } from './harness';
import { PRESS, pressStateVariable, startPlcAndHmi, type PlcAndHmi } from './opcua-test-plc';
import { call } from './routes';

/** The HMI's write timeout in this test, and how long the PLC takes: well beyond it. */
const WRITE_TIMEOUT_MS = 400;
const PLC_DELAY_MS = 2000;
const SLOW = `${PRESS}/slow`;
const LATE_ANSWER = `${PRESS}/late_answer`;
const QUICK = `${PRESS}/quick`;

describe('an OPC UA setpoint write without an answer in time', () => {
	let bench: PlcAndHmi;
	const write = (path: string, value: number, expected: number) => call(setpointWrite, { user: bench.operator, body: { path, value, expected } });
	const live = () => bench.hmi.runtime.sources.get('opcua-line1')?.state === 'connected';
	const row = (path: string) => bench.hmi.runtime.audit.query({ target: path, limit: 1 })[0];

	beforeAll(async () => {
		bench = await startPlcAndHmi({
			name: 'setpoint-late',
			delayMs: PLC_DELAY_MS,
			variables: [
				pressStateVariable,
				{ nodeId: SLOW, dataType: DataType.Double, initial: 500, behaviour: 'apply-late' },
				{ nodeId: LATE_ANSWER, dataType: DataType.Double, initial: 500, behaviour: 'answer-late' },
				{ nodeId: QUICK, dataType: DataType.Double, initial: 500 }
			],
			setpoints: [
				{ id: 'slow', min: 300, max: 600, step: 10 },
				{ id: 'late_answer', min: 300, max: 600, step: 10 },
				{ id: 'quick', min: 300, max: 600, step: 10 }
			],
			env: { SETPOINT_WRITE_TIMEOUT_MS: String(WRITE_TIMEOUT_MS) },
			live: [SLOW, LATE_ANSWER, QUICK]
		});
	}, 60_000);

	afterAll(() => bench?.stop());

	test('a PLC that would apply it late: outcome unknown (504, audited unknown, not failed), the session closed, the write never lands', async () => {
		const closedBefore = bench.plc.closedSessions();
		const result = await write(SLOW, 450, 500);
		expect([result.status, (result.body as { code: string }).code]).toEqual([504, 'HMI_ERR_SETPOINT_OUTCOME_UNKNOWN']);
		expect(row(SLOW)).toMatchObject({ user: 'olga', oldValue: 500, newValue: 450, detail: { result: 'unknown', reason: `no answer from opcua-line1 within ${WRITE_TIMEOUT_MS} ms` } });
		// The PLC had the request; the HMI closed the session it came on.
		expect(bench.plc.writes.map((w) => [w.nodeId, w.value])).toEqual([[SLOW, 450]]);
		await waitFor(() => bench.plc.closedSessions() > closedBefore, 'the session closed by the HMI');

		// Past the time the PLC would have applied it: dropped with its session, the value never changed.
		await waitFor(() => bench.plc.writes[0].outcome !== 'pending', 'the PLC done with the request', PLC_DELAY_MS + 5000);
		expect(bench.plc.writes[0].outcome).toBe('dropped (session closed)');
		expect(bench.plc.value(SLOW)).toBe(500);

		// Connected again: the node was read back and the audit says what it holds.
		await waitFor(() => live(), 'the HMI connected again');
		await waitFor(() => row(SLOW).detail?.readBack !== undefined, 'the read-back in the audit');
		expect(row(SLOW).detail).toMatchObject({ result: 'unknown', readBack: 500 });
		expect(bench.hmi.runtime.store.get(SLOW)?.value).toBe(500);
	});

	test('a PLC that applied it and answered late: outcome unknown, and the read-back in the audit says it holds the new value', async () => {
		await waitFor(() => live() && bench.hmi.runtime.store.get(LATE_ANSWER)?.quality === 0, 'connected');
		const result = await write(LATE_ANSWER, 550, 500);
		expect([result.status, (result.body as { code: string }).code]).toEqual([504, 'HMI_ERR_SETPOINT_OUTCOME_UNKNOWN']);
		expect(bench.plc.value(LATE_ANSWER)).toBe(550);
		await waitFor(() => row(LATE_ANSWER).detail?.readBack !== undefined, 'the read-back in the audit');
		expect(row(LATE_ANSWER)).toMatchObject({ oldValue: 500, newValue: 550, detail: { result: 'unknown', readBack: 550 } });
		await waitFor(() => bench.hmi.runtime.store.get(LATE_ANSWER)?.value === 550, 'the value on its tag');
	});

	test('afterwards a write that is answered in time goes through on the new session', async () => {
		await waitFor(() => live() && bench.hmi.runtime.store.get(QUICK)?.quality === 0, 'connected');
		const result = await write(QUICK, 420, 500);
		expect(result.status, JSON.stringify(result.body)).toBe(200);
		expect(result.body).toMatchObject({ newValue: 420, detail: { result: 'written' } });
		expect(bench.plc.value(QUICK)).toBe(420);
	});
});
