import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { readConfig } from '../../src/lib/server/config';
import { startRuntime } from '../../src/lib/server/runtime';
import { AlarmJournal } from '../../src/lib/server/store/alarm-journal';
import { openDatabase } from '../../src/lib/server/store/db';
import { testGuard } from '../../src/lib/server/testing/test-guard';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hmi-durable-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('an acknowledged alarm survives kill -9', () => {
	test('the journal row is on disk when the action returns, and the state is restored on restart', async () => {
		const comment = `checked at ${Date.now()}`;
		const child = spawn(process.execPath, ['--import', 'tsx', 'tests/integration/fixtures/ack-then-wait.ts'], {
			env: { ...process.env, DATA_DIR: dataDir, ACK_COMMENT: comment },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let stderr = '';
		child.stderr.on('data', (d) => (stderr += d));
		const line = await new Promise<string>((resolve, reject) => {
			child.stdout.on('data', (d: Buffer) => {
				const text = d.toString();
				if (/ACKED|FAILED/.test(text)) resolve(text.trim());
			});
			child.once('exit', (code) => reject(new Error(`child exited ${code}: ${stderr}`)));
		});
		expect(line).toBe('ACKED');
		// Killed right after the answer: no shutdown, no flush, no WAL checkpoint.
		child.kill('SIGKILL');
		await new Promise((resolve) => child.once('exit', resolve));

		const db = openDatabase(path.join(dataDir, 'hmi.db'));
		const rows = new AlarmJournal(db, testGuard(db)).query({ alarm: 'acme/utrecht/packaging/line2/capper/_alarms/fault', limit: 10 });
		db.close();
		expect(rows[0]).toMatchObject({ action: 'ack', user: 'maintenance', comment, from: 'unack_active', to: 'ack_active' });

		const runtime = await startRuntime(readConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', MQTT_PORT: '0', OPCUA_ENDPOINT: 'opc.tcp://127.0.0.1:9/none' }));
		try {
			const fault = runtime.alarms.records().find((r) => r.id === 'acme/utrecht/packaging/line2/capper/_alarms/fault');
			expect(fault).toMatchObject({ state: 'ack_active', acked: true });
		} finally {
			await runtime.stop();
		}
	}, 60_000);
});
