import { expect, test, type APIRequestContext, type PlaywrightWorkerArgs } from '@playwright/test';

// Every role × every alarm write, over real HTTP against the production server. The expectations are
// written out here on purpose (not read from the permission table they check).
const ALARM = 'acme/utrecht/packaging/line1/filler/_alarms/co2_pressure_hh';
type Role = 'operator' | 'maintenance' | 'manager' | 'admin';
const ACTIONS: [action: string, body: object, allowed: Role[]][] = [
	['ack', { ids: [ALARM], comment: 'role matrix' }, ['operator', 'maintenance', 'admin']],
	['shelve', { id: ALARM, reason: 'role matrix', minutes: 5 }, ['maintenance', 'admin']],
	['unshelve', { id: ALARM }, ['maintenance', 'admin']],
	['out-of-service', { id: ALARM, reason: 'role matrix' }, ['maintenance', 'admin']],
	['return-to-service', { id: ALARM }, ['maintenance', 'admin']],
	['reset', { id: ALARM }, ['maintenance', 'admin']]
];
const ROLES: Role[] = ['operator', 'maintenance', 'manager', 'admin'];

async function session(playwright: PlaywrightWorkerArgs['playwright'], baseURL: string, role: Role): Promise<APIRequestContext> {
	const request = await playwright.request.newContext({ baseURL });
	const login = await request.post('/login', {
		form: { username: role, password: role },
		headers: { origin: new URL(baseURL).origin, accept: 'text/html' },
		maxRedirects: 0
	});
	expect(login.status()).toBe(303);
	return request;
}

/** The alarm's record without its live process value, which moves with the process, not with actions. */
async function alarmState(request: APIRequestContext) {
	const all: { id: string; state: string; changedAt: number; value?: unknown }[] = await (await request.get('/api/alarms')).json();
	const { value: _live, ...record } = all.find((a) => a.id === ALARM)!;
	return record;
}

for (const role of ROLES) {
	test(`alarm actions as ${role}`, async ({ playwright, baseURL }) => {
		const request = await session(playwright, baseURL!, role);
		for (const [action, body, allowed] of ACTIONS) {
			const before = await alarmState(request);
			const response = await request.post(`/api/alarms/${action}`, { data: body });
			if (allowed.includes(role)) {
				expect(response.status(), `${role} ${action}`).toBe(200);
				const { results } = await response.json();
				expect(results[0].id).toBe(ALARM);
			} else {
				expect(response.status(), `${role} ${action}`).toBe(403);
				expect((await response.json()).code).toBe('HMI_ERR_FORBIDDEN');
				expect(await alarmState(request), `${role} ${action} changed nothing`).toEqual(before);
			}
		}
		// Allowed roles shelved/unshelved and took out of/returned to service: the alarm is back in service.
		expect((await alarmState(request)).state).not.toMatch(/shelved|out_of_service/);
		await request.dispose();
	});
}

test('alarm writes need a session, JSON, and a well-formed body', async ({ playwright, baseURL }) => {
	const anonymous = await playwright.request.newContext({ baseURL });
	expect((await anonymous.post('/api/alarms/ack', { data: { ids: [ALARM] } })).status()).toBe(401);
	await anonymous.dispose();

	const request = await session(playwright, baseURL!, 'maintenance');
	const form = await request.post('/api/alarms/ack', {
		headers: { 'content-type': 'text/plain', origin: new URL(baseURL!).origin },
		data: JSON.stringify({ ids: [ALARM] })
	});
	expect(form.status()).toBe(415);
	expect((await request.post('/api/alarms/ack', { data: { ids: [] } })).status()).toBe(400);
	expect((await request.post('/api/alarms/shelve', { data: { id: ALARM, minutes: 5 } })).status()).toBe(400);
	expect((await request.post('/api/alarms/teleport', { data: {} })).status()).toBe(404);
	const tooLong = await request.post('/api/alarms/shelve', { data: { id: ALARM, reason: 'x', minutes: 100_000 } });
	expect(await tooLong.json()).toEqual({ results: [{ id: ALARM, ok: false, code: 'alarm.shelve_too_long' }] });
	await request.dispose();
});

test('the journal API filters, validates and exports CSV', async ({ playwright, baseURL }) => {
	const request = await session(playwright, baseURL!, 'maintenance');
	await request.post('/api/alarms/shelve', { data: { id: ALARM, reason: '=cmd|calc', minutes: 1 } });
	await request.post('/api/alarms/unshelve', { data: { id: ALARM } });
	const rows = await (await request.get(`/api/alarms/journal?alarm=${encodeURIComponent(ALARM)}&user=maintenance&limit=5`)).json();
	expect(rows[0]).toMatchObject({ alarmId: ALARM, action: 'unshelve', user: 'maintenance' });
	expect(rows[1]).toMatchObject({ action: 'shelve', reason: '=cmd|calc' });
	const csv = await request.get(`/api/alarms/journal?alarm=${encodeURIComponent(ALARM)}&format=csv&limit=5`);
	expect(csv.headers()['content-type']).toContain('text/csv');
	const text = await csv.text();
	expect(text.split('\r\n')[0]).toBe('time,alarm,line,machine,priority,from,to,action,user,comment,reason,value,message');
	expect(text).toContain(",'=cmd|calc,");
	expect((await request.get('/api/alarms/journal?from=yesterday')).status()).toBe(400);
	expect((await request.get('/api/alarms/journal?state=exploded')).status()).toBe(400);
	expect((await request.get('/api/alarms/journal?limit=999999')).status()).toBe(400);
	await request.dispose();
});
