// The first admin outside demo mode: `npm run create-user` writes the user into the data folder's database
// with the admin screen's rules and audit; the password comes from standard input, never the command line.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { AuthService } from '$lib/server/auth/auth-service';
import { CLI_ACTOR } from '$lib/server/auth/create-user';
import { loadSessionKey } from '$lib/server/auth/secret';
import { systemClock } from '$lib/server/clock';
import { AuditLog } from '$lib/server/store/audit-log';
import { openDatabase } from '$lib/server/store/db';
import { silentLog } from '$lib/server/testing/silent-log';
import { testGuard } from '$lib/server/testing/test-guard';

let dataDir: string;
beforeEach(() => void (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hmi-create-user-'))));
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function createUser(args: string[], stdin: string) {
	return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/create-user.ts', ...args], {
		input: stdin,
		env: { ...process.env, DATA_DIR: dataDir },
		encoding: 'utf8'
	});
}

test('creates an admin who can sign in, audited as made from the command line', async () => {
	const run = createUser(['anna', 'admin'], 'a long passphrase here\n');
	expect(run.stderr).not.toContain('not created');
	expect(run.status).toBe(0);
	expect(run.stdout).toContain('created anna (admin)');

	const db = openDatabase(path.join(dataDir, 'hmi.db'));
	const auth = new AuthService(db, loadSessionKey(dataDir), 3600_000, systemClock, silentLog);
	const login = await auth.login('anna', 'a long passphrase here', 'test');
	expect(login.ok).toBe(true);
	expect(new AuditLog(db, testGuard(db)).query({ action: 'user.create', limit: 5 })).toEqual([
		expect.objectContaining({ user: CLI_ACTOR, action: 'user.create', target: 'anna' })
	]);
	db.close();
}, 30_000);

test.each([
	['a short password', ['bob', 'admin'], 'short\n', 'HMI_ERR_PASSWORD_TOO_SHORT'],
	['an unknown role', ['bob', 'root'], 'a long passphrase here\n', 'HMI_ERR_BAD_ROLE'],
	['a bad user name', ['b b', 'admin'], 'a long passphrase here\n', 'HMI_ERR_USER_BAD_NAME'],
	// The audit names the command line itself so: a user of that name could not be told apart from it.
	['the name the audit gives the command line', ['Command-Line', 'admin'], 'a long passphrase here\n', 'HMI_ERR_USER_RESERVED_NAME']
])('refuses %s with its code and creates nothing', (_name, args, stdin, code) => {
	const run = createUser(args, stdin);
	expect(run.status).toBe(1);
	expect(run.stderr).toContain(code);
	const db = openDatabase(path.join(dataDir, 'hmi.db'));
	expect(db.prepare('SELECT count(*) AS n FROM users').get()).toEqual({ n: 0 });
	db.close();
}, 30_000);
