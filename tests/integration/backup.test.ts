import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readConfig } from '../../src/lib/server/config';
import { startRuntime } from '../../src/lib/server/runtime';
import { backupDataDir } from '../../src/lib/server/store/backup';
import { startHmi, type TestHmi } from './harness';

// A backup taken while the server runs, and a server started from it.
const dirs: string[] = [];
const newDir = () => {
	const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hmi-backup-')), 'copy');
	dirs.push(path.dirname(dir));
	return dir;
};

let hmi: TestHmi;
beforeAll(async () => {
	hmi = await startHmi();
});
afterAll(async () => {
	await hmi?.stop();
	for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('npm run backup', () => {
	test('copies the database consistently while the server writes, and the secrets, readable by the owner only', async () => {
		hmi.runtime.audit.record({ ts: Date.now(), user: 'op', action: 'test.before-backup', target: 'x' });
		// The server keeps writing while the copy is made.
		const writing = setInterval(() => hmi.runtime.audit.record({ ts: Date.now(), user: 'op', action: 'test.during-backup', target: 'x' }), 1);
		const target = newDir();
		let copied: string[];
		try {
			({ copied } = await backupDataDir(hmi.runtime.config.dataDir, target));
		} finally {
			clearInterval(writing);
		}
		expect(copied).toEqual(expect.arrayContaining(['hmi.db', 'mqtt-accounts.json', 'pki/']));
		expect(fs.statSync(target).mode & 0o777).toBe(0o700);
		for (const file of ['hmi.db', 'mqtt-accounts.json']) expect(fs.statSync(path.join(target, file)).mode & 0o777).toBe(0o600);

		// A server started on the copy has the users, the audit and the broker's passwords of the original.
		const restored = await startRuntime(
			readConfig({ DATA_DIR: target, MQTT_PORT: '0', LOG_LEVEL: 'silent', OPCUA_ENDPOINT: 'opc.tcp://127.0.0.1:9/none', SESSION_SECRET: 'integration-test-secret-of-32-characters' })
		);
		try {
			expect((await restored.auth.login('op', 'op-password', 'test')).ok).toBe(true);
			expect(restored.audit.query({ action: 'test.before-backup', limit: 10 })).toHaveLength(1);
			expect(restored.embeddedBroker!.accounts.credentials('line-line2')).toEqual(hmi.runtime.embeddedBroker!.accounts.credentials('line-line2'));
		} finally {
			await restored.stop();
		}
	});

	test('never overwrites: a folder that is not empty is refused', async () => {
		const target = newDir();
		fs.mkdirSync(target, { recursive: true });
		fs.writeFileSync(path.join(target, 'hmi.db'), 'an older backup');
		await expect(backupDataDir(hmi.runtime.config.dataDir, target)).rejects.toThrow(/not empty/);
		expect(fs.readFileSync(path.join(target, 'hmi.db'), 'utf8')).toBe('an older backup');
	});
});
