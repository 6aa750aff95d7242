// Reproduced on a plant: a setpoint write in flight when the HMI was killed was applied by the PLC, and the
// audit had no row for it (the row was written only once the outcome was known). Now the attempt is on disk
// before the request leaves, and the next start marks it unknown: the HMI stopped mid-write.
import { spawn } from 'node:child_process';
import { DataType } from 'node-opcua';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AuditLog, type AuditEntry } from '../../src/lib/server/store/audit-log';
import { openDatabase } from '../../src/lib/server/store/db';
import { testGuard } from '../../src/lib/server/testing/test-guard';
import { tempDir } from '../../plc-sim/test/helpers';
import { startHmi } from './harness';
import { PRESS, pressStateVariable, startTestPlc, writeTestPlant, type TestPlc } from './opcua-test-plc';

const SLOW = `${PRESS}/slow`;

/** The audit rows of SLOW as a second connection to the database file sees them. */
function auditRows(dataDir: string): AuditEntry[] {
	const db = openDatabase(path.join(dataDir, 'hmi.db'));
	try {
		return new AuditLog(db, testGuard(db)).query({ target: SLOW, limit: 10 });
	} finally {
		db.close();
	}
}

describe('the HMI killed in the middle of a setpoint write', () => {
	let tmp: Awaited<ReturnType<typeof tempDir>>;
	let plc: TestPlc;

	beforeAll(async () => {
		tmp = await tempDir('hmi-setpoint-kill-');
		// The PLC takes its time: the write is still in flight when the HMI dies.
		plc = await startTestPlc({
			dataDir: tmp.dir,
			delayMs: 60_000,
			variables: [pressStateVariable, { nodeId: SLOW, dataType: DataType.Double, initial: 500, behaviour: 'apply-late' }]
		});
	});

	afterAll(async () => {
		await plc?.stop();
		await tmp?.remove();
	});

	test('the attempt is on disk before the PLC gets the request, and is unknown after the restart', async () => {
		const dataDir = path.join(tmp.dir, 'data');
		const env = {
			DATA_DIR: dataDir,
			PLANT_MODEL: writeTestPlant(tmp.dir, [{ id: 'slow', min: 300, max: 600, step: 10 }]),
			OPCUA_ENDPOINT: plc.endpoint,
			MQTT_PORT: '0',
			LOG_LEVEL: 'silent',
			SESSION_SECRET: 'integration-test-secret-of-32-characters'
		};
		const child = spawn(process.execPath, ['--import', 'tsx', 'tests/integration/fixtures/setpoint-write-process.ts', SLOW, '450'], {
			env: { ...process.env, ...env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let output = '';
		child.stdout.on('data', (d) => (output += d));
		child.stderr.on('data', (d) => (output += d));
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

		// The moment the request reaches the PLC: what the audit holds then, and the HMI dies.
		const atThePlc = await new Promise<AuditEntry[]>((resolve, reject) => {
			plc.onWrite = () => {
				resolve(auditRows(dataDir));
				child.kill('SIGKILL');
			};
			void exited.then(() => reject(new Error(`the HMI process ended before its write reached the PLC:\n${output}`)));
		});
		await exited;
		expect(output).not.toContain('RESULT');
		expect(plc.writes.map((w) => [w.nodeId, w.value])).toEqual([[SLOW, 450]]);
		expect(atThePlc).toMatchObject([{ user: 'olga', action: 'setpoint.write', target: SLOW, oldValue: 500, newValue: 450, detail: { result: 'pending' } }]);
		expect(auditRows(dataDir)).toMatchObject([{ newValue: 450, detail: { result: 'pending' } }]);

		// The next start on the same data: the HMI stopped mid-write, so the outcome is unknown.
		const hmi = await startHmi(env);
		try {
			expect(hmi.runtime.audit.query({ target: SLOW, limit: 10 })).toMatchObject([
				{ user: 'olga', oldValue: 500, newValue: 450, detail: { result: 'unknown', reason: 'the HMI stopped before the outcome was known' } }
			]);
		} finally {
			await hmi.stop();
		}
	}, 60_000);
});
