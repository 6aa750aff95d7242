import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readConfig } from '../../src/lib/server/config';
import { startRuntime } from '../../src/lib/server/runtime';
import { startHmi, waitFor, type TestHmi } from './harness';

test('a fresh database outside demo mode has no users at all (no default passwords)', async () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hmi-fresh-'));
	const runtime = await startRuntime(
		readConfig({ DATA_DIR: dataDir, MQTT_PORT: '0', LOG_LEVEL: 'silent', SESSION_SECRET: 'integration-test-secret-of-32-characters', OPCUA_ENDPOINT: 'opc.tcp://127.0.0.1:9/none' })
	);
	try {
		expect(runtime.demoUsers).toEqual([]);
		expect(runtime.users.count()).toBe(0);
		for (const name of ['admin', 'operator', 'maintenance', 'manager']) expect((await runtime.auth.login(name, name, 'test')).ok).toBe(false);
	} finally {
		await runtime.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
});

describe('user administration', () => {
	let hmi: TestHmi;
	const ADMIN = 'root-admin';

	beforeAll(async () => {
		hmi = await startHmi();
		await hmi.runtime.auth.createUser(ADMIN, 'admin password 1', 'admin');
	});
	afterAll(() => hmi?.stop());

	test.each([
		['ab', 'operator', 'a long password 1', null],
		['x', 'operator', 'a long password 1', 'HMI_ERR_USER_BAD_NAME'],
		['has space', 'operator', 'a long password 1', 'HMI_ERR_USER_BAD_NAME'],
		['carla', 'chef', 'a long password 1', 'HMI_ERR_BAD_ROLE'],
		['carla', 'operator', 'short pw 11', 'HMI_ERR_PASSWORD_TOO_SHORT'],
		['carla', 'operator', 'p'.repeat(257), 'HMI_ERR_PASSWORD_TOO_LONG'],
		['carla.longname', 'operator', 'Carla.Longname', 'HMI_ERR_PASSWORD_IS_NAME'],
		['op', 'operator', 'a long password 1', 'HMI_ERR_USER_EXISTS']
	])('create %s as %s with %s → %s', async (name, role, password, code) => {
		const result = await hmi.runtime.users.create(ADMIN, name, role, password);
		expect(result.ok ? null : result.code).toBe(code);
	});

	test.each([
		['the same name', 'fenna', 'fenna'],
		['names that differ only in case', 'gijs', 'GIJS']
	])('two creates of %s at once: one is created, the other gets 409 HMI_ERR_USER_EXISTS (not a 500)', async (_case, first, second) => {
		// Both pass the name check before either insert: the password hash in between takes tens of ms.
		const results = await Promise.all([
			hmi.runtime.users.create(ADMIN, first, 'operator', 'a long password 1'),
			hmi.runtime.users.create(ADMIN, second, 'operator', 'a long password 2')
		]);
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		expect(results.filter((r) => !r.ok)).toMatchObject([{ status: 409, code: 'HMI_ERR_USER_EXISTS' }]);
		expect(hmi.runtime.users.list().filter((u) => u.username.toLowerCase() === first)).toHaveLength(1);
		const audited = hmi.runtime.audit.query({ action: 'user.create', limit: 1000 }).filter((e) => e.target.toLowerCase() === first);
		expect(audited).toHaveLength(1);
	});

	test('disabling a user ends their sessions: the token stops working and their socket closes with 1008', async () => {
		const created = await hmi.runtime.users.create(ADMIN, 'dora', 'operator', 'dora password 12');
		if (!created.ok) throw new Error(created.code);
		const login = await hmi.runtime.auth.login('dora', 'dora password 12', 'test');
		if (!login.ok) throw new Error('login failed');
		const client = hmi.connect({ token: login.token });
		await client.subscribe(['acme/#']);

		const result = hmi.runtime.users.setEnabled(ADMIN, created.user.id, false);
		expect(result.ok && result.user.enabled).toBe(false);
		await waitFor(() => client.closed, 'socket closed');
		expect(client.closed?.code).toBe(1008);
		expect(await hmi.runtime.auth.verify(login.token)).toBeNull();
		expect((await hmi.runtime.auth.login('dora', 'dora password 12', 'test')).ok).toBe(false);

		expect(hmi.runtime.users.setEnabled(ADMIN, created.user.id, true).ok).toBe(true);
		expect((await hmi.runtime.auth.login('dora', 'dora password 12', 'test')).ok).toBe(true);
		const actions = hmi.runtime.audit.query({ action: 'user.', target: 'dora', limit: 10 }).map((e) => e.action);
		expect(actions).toEqual(['user.enable', 'user.disable', 'user.create']);
	});

	test('a password reset and a role change end the sessions; the audit never holds the password', async () => {
		const created = await hmi.runtime.users.create(ADMIN, 'emil', 'operator', 'emil password 12');
		if (!created.ok) throw new Error(created.code);
		const first = await hmi.runtime.auth.login('emil', 'emil password 12', 'test');
		if (!first.ok) throw new Error('login failed');
		expect((await hmi.runtime.users.resetPassword(ADMIN, created.user.id, 'emil new secret 34')).ok).toBe(true);
		expect(await hmi.runtime.auth.verify(first.token)).toBeNull();
		const second = await hmi.runtime.auth.login('emil', 'emil new secret 34', 'test');
		if (!second.ok) throw new Error('login with the new password failed');
		expect(hmi.runtime.users.setRole(ADMIN, created.user.id, 'maintenance').ok).toBe(true);
		expect(await hmi.runtime.auth.verify(second.token)).toBeNull();
		const [roleRow] = hmi.runtime.audit.query({ action: 'user.role', target: 'emil', limit: 1 });
		expect(roleRow).toMatchObject({ user: ADMIN, oldValue: 'operator', newValue: 'maintenance' });
		expect(JSON.stringify(hmi.runtime.audit.query({ limit: 1000 }))).not.toMatch(/emil (new )?(password|secret)/);
	});

	test('the last enabled admin can be neither disabled nor demoted; with a second admin they can', async () => {
		const root = hmi.runtime.users.list().find((u) => u.username === ADMIN)!;
		const refusals = [hmi.runtime.users.setEnabled(ADMIN, root.id, false), hmi.runtime.users.setRole(ADMIN, root.id, 'manager')];
		for (const r of refusals) expect(r.ok ? null : r.code).toBe('HMI_ERR_LAST_ADMIN');
		const second = await hmi.runtime.users.create(ADMIN, 'second-admin', 'admin', 'second admin pw 1');
		expect(second.ok).toBe(true);
		expect(hmi.runtime.users.setRole(ADMIN, root.id, 'manager').ok).toBe(true);
		const last = hmi.runtime.users.list().find((u) => u.username === 'second-admin')!;
		const refused = hmi.runtime.users.setEnabled('second-admin', last.id, false);
		expect(refused.ok ? null : refused.code).toBe('HMI_ERR_LAST_ADMIN');
	});
});
