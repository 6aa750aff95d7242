import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { POST as alarmAction } from '../../src/routes/api/alarms/[action]/+server';
import { POST as setpointWrite } from '../../src/routes/api/setpoints/+server';
import { POST as createUser } from '../../src/routes/api/admin/users/+server';
import { POST as userAction } from '../../src/routes/api/admin/users/[id]/[action]/+server';
import { POST as unsPublish } from '../../src/routes/api/uns/publish/+server';
import { POST as unsRebirth } from '../../src/routes/api/uns/rebirth/+server';
import type { SessionUser } from '../../src/lib/server/auth/auth-service';
import { startHmi, waitFor, type TestHmi } from './harness';
import { call, signedIn, useRuntime, type Handler } from './routes';

// Every write endpoint × every role. The allowed roles are written out here on purpose, not read from the
// permission table they check. Adding an endpoint is one row.
type Role = 'operator' | 'maintenance' | 'manager' | 'admin';
type Caller = Role | 'anonymous';
const CALLERS: Caller[] = ['anonymous', 'operator', 'maintenance', 'manager', 'admin'];

const ALARM = 'acme/utrecht/packaging/line1/filler/_alarms/co2_pressure_hh';
const SPEED_TARGET = 'acme/utrecht/packaging/line2/filler/speed_target';

interface Row {
	name: string;
	handler: Handler;
	allowed: Role[];
	/** Params and body of call number `n` (unique values where the endpoint needs them). */
	request: (n: number, ctx: Context) => { params?: Record<string, string>; body: unknown };
}

interface Context {
	victimId: number;
}

const ROWS: Row[] = [
	{ name: 'alarm acknowledge', handler: alarmAction, allowed: ['operator', 'maintenance', 'admin'], request: () => ({ params: { action: 'ack' }, body: { ids: [ALARM] } }) },
	{ name: 'alarm shelve', handler: alarmAction, allowed: ['maintenance', 'admin'], request: () => ({ params: { action: 'shelve' }, body: { id: ALARM, reason: 'matrix', minutes: 5 } }) },
	{ name: 'alarm unshelve', handler: alarmAction, allowed: ['maintenance', 'admin'], request: () => ({ params: { action: 'unshelve' }, body: { id: ALARM } }) },
	{ name: 'alarm out-of-service', handler: alarmAction, allowed: ['maintenance', 'admin'], request: () => ({ params: { action: 'out-of-service' }, body: { id: ALARM, reason: 'matrix' } }) },
	{ name: 'alarm return-to-service', handler: alarmAction, allowed: ['maintenance', 'admin'], request: () => ({ params: { action: 'return-to-service' }, body: { id: ALARM } }) },
	{ name: 'setpoint write', handler: setpointWrite, allowed: ['operator', 'maintenance', 'admin'], request: (n) => ({ body: { path: SPEED_TARGET, value: 300 + 10 * (n % 30) } }) },
	{ name: 'user create', handler: createUser, allowed: ['admin'], request: (n) => ({ body: { username: `new-${n}`, role: 'operator', password: 'a long password 1' } }) },
	{ name: 'user disable', handler: userAction, allowed: ['admin'], request: (_n, c) => ({ params: { id: String(c.victimId), action: 'disable' }, body: {} }) },
	{ name: 'user enable', handler: userAction, allowed: ['admin'], request: (_n, c) => ({ params: { id: String(c.victimId), action: 'enable' }, body: {} }) },
	{ name: 'user password', handler: userAction, allowed: ['admin'], request: (n, c) => ({ params: { id: String(c.victimId), action: 'password' }, body: { password: `another password ${n}` } }) },
	{ name: 'user role', handler: userAction, allowed: ['admin'], request: (_n, c) => ({ params: { id: String(c.victimId), action: 'role' }, body: { role: 'maintenance' } }) },
	{ name: 'uns publish', handler: unsPublish, allowed: ['admin'], request: (n) => ({ body: { topic: 'matrix/site/area/line/cell/note', payload: `{"n":${n}}`, qos: 1, retain: false } }) },
	{ name: 'uns clear retained', handler: unsPublish, allowed: ['admin'], request: () => ({ body: { topic: 'matrix/site/area/line/cell/note', payload: '', qos: 1, retain: true } }) },
	{ name: 'sparkplug rebirth', handler: unsRebirth, allowed: ['admin'], request: () => ({ body: { group: 'matrix', edge: 'edge1' } }) }
];

describe('write role matrix', () => {
	let hmi: TestHmi;
	const users = new Map<Caller, SessionUser | null>();
	const ctx: Context = { victimId: 0 };
	let feeder: mqtt.MqttClient;
	let calls = 0;

	/** Everything a write could change: audit and journal rows, users (hashes included), alarm states. */
	const fingerprint = () =>
		JSON.stringify([
			hmi.runtime.db.prepare('SELECT COUNT(*) AS n FROM audit_log').get(),
			hmi.runtime.db.prepare('SELECT COUNT(*) AS n FROM alarm_journal').get(),
			hmi.runtime.db.prepare('SELECT id, username, role, disabled, password_hash FROM users ORDER BY id').all(),
			hmi.runtime.db.prepare('SELECT * FROM alarm_state ORDER BY 1').all()
		]);

	beforeAll(async () => {
		hmi = await startHmi();
		useRuntime(hmi.runtime);
		users.set('anonymous', null);
		for (const role of ['operator', 'maintenance', 'manager', 'admin'] as Role[]) users.set(role, await signedIn(hmi.runtime, `matrix-${role}`, role));
		ctx.victimId = (await signedIn(hmi.runtime, 'victim', 'operator')).id;
		// A live setpoint tag, as the line 2 source reports it: writes are refused while it is not Good.
		feeder = await mqtt.connectAsync(hmi.mqttUrlAs('line-line2'));
		await feeder.publishAsync(SPEED_TARGET, JSON.stringify({ value: 420, timestamp_ms: Date.now() }), { retain: true });
		await waitFor(() => hmi.runtime.store.get(SPEED_TARGET)?.quality === 0 && hmi.runtime.sources.get('mqtt')?.state === 'connected', 'live setpoint tag');
	});

	afterAll(async () => {
		await feeder?.endAsync();
		useRuntime(undefined);
		await hmi?.stop();
	});

	describe.each(ROWS)('$name', (row) => {
		test.each(CALLERS)('as %s', async (caller) => {
			const user = users.get(caller)!;
			const before = fingerprint();
			const { params, body } = row.request(calls++, ctx);
			const result = await call(row.handler, { user, params, body });
			if (caller !== 'anonymous' && row.allowed.includes(caller)) {
				expect(result.status, JSON.stringify(result.body)).toBeGreaterThanOrEqual(200);
				expect(result.status).toBeLessThan(300);
			} else {
				expect(result.status).toBe(caller === 'anonymous' ? 401 : 403);
				expect((result.body as { code: string }).code).toBe(caller === 'anonymous' ? 'HMI_ERR_UNAUTHORIZED' : 'HMI_ERR_FORBIDDEN');
				expect(fingerprint(), 'nothing changed').toBe(before);
			}
		});
	});

	test('every allowed setpoint and user write left an audit row', () => {
		const audited = hmi.runtime.audit.query({ limit: 1000 });
		const byAction = (action: string) => audited.filter((e) => e.action === action).length;
		// 3 roles may write setpoints, 1 may administer users; each endpoint was called once per role.
		expect(byAction('setpoint.write')).toBe(3);
		expect(byAction('user.create')).toBe(1);
		expect(byAction('user.disable')).toBe(1);
		expect(byAction('user.enable')).toBe(1);
		expect(byAction('user.password')).toBe(1);
		expect(byAction('user.role')).toBe(1);
		expect(byAction('uns.publish')).toBe(1);
		expect(byAction('uns.clear')).toBe(1);
		expect(byAction('uns.rebirth')).toBe(1);
		expect(JSON.stringify(audited)).not.toContain('another password');
	});
});
