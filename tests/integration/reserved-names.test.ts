// A user named `command-line` was indistinguishable from the command line in the audit (and one named
// `system` from the alarm engine in the journal). Those names cannot be user names, by any way users are
// made, and an account that has one from before cannot sign in.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { POST as createUser } from '../../src/routes/api/admin/users/+server';
import { CLI_ACTOR } from '../../src/lib/server/auth/user-rules';
import type { SessionUser } from '../../src/lib/server/auth/auth-service';
import { startHmi, type TestHmi } from './harness';
import { call, signedIn, useRuntime } from './routes';

let hmi: TestHmi;
let admin: SessionUser;
beforeAll(async () => {
	hmi = await startHmi();
	useRuntime(hmi.runtime);
	admin = await signedIn(hmi.runtime, 'anna', 'admin');
});
afterAll(async () => {
	useRuntime(undefined);
	await hmi?.stop();
});

describe('reserved actor names', () => {
	test.each([[CLI_ACTOR], ['SYSTEM'], ['systeem']])('the admin API refuses %s with 400 HMI_ERR_USER_RESERVED_NAME; nothing is created or audited', async (username) => {
		const audited = hmi.runtime.audit.query({ action: 'user.create', limit: 100 }).length;
		const result = await call(createUser, { user: admin, body: { username, role: 'operator', password: 'a long password 1' } });
		expect(result).toMatchObject({ status: 400, body: { code: 'HMI_ERR_USER_RESERVED_NAME' } });
		expect(hmi.runtime.users.list().some((u) => u.username.toLowerCase() === username.toLowerCase())).toBe(false);
		expect(hmi.runtime.audit.query({ action: 'user.create', limit: 100 })).toHaveLength(audited);
	});

	test('the low-level create (tests, benchmarks) refuses them too', async () => {
		await expect(hmi.runtime.auth.createUser('system', 'a long password 1', 'admin')).rejects.toThrow(/HMI_ERR_USER_RESERVED_NAME/);
	});

	test('an account with such a name from before cannot sign in, and its open session ends', async () => {
		// As an older database could have it: written before the rule existed.
		const insert = hmi.runtime.db.prepare('INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)');
		const ok = await signedIn(hmi.runtime, 'temp-user', 'operator');
		const hash = (hmi.runtime.db.prepare('SELECT password_hash FROM users WHERE id = ?').get(ok.id) as { password_hash: string }).password_hash;
		insert.run('command-line', hash, 'admin', Date.now());
		expect(await hmi.runtime.auth.login('command-line', 'temp-user-password-1', 'test')).toEqual({ ok: false, error: 'auth.invalid' });

		// A session made before the rule: its socket is closed at the next session check.
		const row = hmi.runtime.db.prepare('SELECT id FROM users WHERE username = ?').get('command-line') as { id: number };
		hmi.runtime.db.prepare('UPDATE sessions SET user_id = ? WHERE user_id = ?').run(row.id, ok.id);
		expect(hmi.runtime.auth.isSessionLive(ok.sid, row.id)).toBe(false);
	});
});
