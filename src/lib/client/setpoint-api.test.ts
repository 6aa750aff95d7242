import { describe, expect, test } from 'vitest';
import { blockedKey, postSetpoint } from './setpoint-api';

describe('blockedKey', () => {
	test.each([
		[true, true, null, null],
		[true, false, null, 'setpoint.blocked.offline'],
		[true, true, 'offline', 'setpoint.blocked.offline'],
		[true, true, 'source', 'setpoint.blocked.source'],
		[true, true, 'stale', 'setpoint.blocked.stale'],
		[true, true, 'bad', 'setpoint.blocked.stale'],
		[true, true, 'age', 'setpoint.blocked.stale'],
		[true, true, 'novalue', 'setpoint.blocked.noValue'],
		// A role that may not write is told so first: waiting for the connection would not help.
		[false, true, null, 'setpoint.blocked.role'],
		[false, false, 'offline', 'setpoint.blocked.role']
	] as const)('allowed %s, canWrite %s, staleness %s → %s', (allowed, canWrite, staleness, key) => expect(blockedKey(allowed, canWrite, staleness)).toBe(key));
});

describe('postSetpoint', () => {
	const answer = (status: number, body: unknown) => async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

	test('sends path, value and the value seen as JSON', async () => {
		let sent: RequestInit | undefined;
		const fetchFn = (async (_url: string, init: RequestInit) => {
			sent = init;
			return new Response(JSON.stringify({ newValue: 450 }), { status: 200 });
		}) as unknown as typeof fetch;
		expect(await postSetpoint('a/b', 450, 500, fetchFn)).toEqual({ ok: true, newValue: 450 });
		expect(JSON.parse(String(sent?.body))).toEqual({ path: 'a/b', value: 450, expected: 500 });
		expect(sent?.headers).toEqual({ accept: 'application/json', 'content-type': 'application/json' });
	});

	test('a refusal carries the server code as a key; a network failure its own key', async () => {
		expect(await postSetpoint('a/b', 1, null, answer(409, { code: 'HMI_ERR_SETPOINT_SOURCE_DOWN' }) as unknown as typeof fetch)).toEqual({
			ok: false,
			key: 'errors.HMI_ERR_SETPOINT_SOURCE_DOWN',
			unknown: false
		});
		expect(await postSetpoint('a/b', 1, null, answer(502, { code: 'HMI_ERR_SETPOINT_WRITE_FAILED' }) as unknown as typeof fetch)).toEqual({
			ok: false,
			key: 'errors.HMI_ERR_SETPOINT_WRITE_FAILED',
			unknown: false
		});
	});

	test('no answer in time, or none from the server at all: the outcome is unknown, never "not changed"', async () => {
		expect(await postSetpoint('a/b', 1, null, answer(504, { code: 'HMI_ERR_SETPOINT_OUTCOME_UNKNOWN' }) as unknown as typeof fetch)).toEqual({
			ok: false,
			key: 'errors.HMI_ERR_SETPOINT_OUTCOME_UNKNOWN',
			unknown: true
		});
		const offline = (async () => {
			throw new TypeError('fetch failed');
		}) as unknown as typeof fetch;
		expect(await postSetpoint('a/b', 1, null, offline)).toEqual({ ok: false, key: 'setpoint.network', unknown: true });
		const gateway = (async () => new Response('Bad Gateway', { status: 502 })) as unknown as typeof fetch;
		expect(await postSetpoint('a/b', 1, null, gateway)).toEqual({ ok: false, key: 'setpoint.network', unknown: true });
	});
});
