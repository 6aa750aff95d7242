import { describe, expect, test, vi } from 'vitest';
import { ERROR_CODES } from '$lib/shared/errors';
import { errorKey, send } from './api';

const answer = (status: number, body: unknown) =>
	vi.fn(async (_url: string | URL | Request, _init?: RequestInit) =>
		new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
	);
const texts = { fallbackKey: 'screen.failed', networkKey: 'screen.network' };

describe('errorKey', () => {
	test.each([
		[409, 'HMI_ERR_SETPOINT_STALE', 'errors.HMI_ERR_SETPOINT_STALE'],
		[400, 'HMI_ERR_SETPOINT_OFF_STEP', 'errors.HMI_ERR_SETPOINT_OFF_STEP'],
		// The code says more than the status.
		[403, 'HMI_ERR_ORIGIN_NOT_ALLOWED', 'errors.HMI_ERR_ORIGIN_NOT_ALLOWED'],
		[403, undefined, 'errors.HMI_ERR_FORBIDDEN'],
		[401, undefined, 'errors.HMI_ERR_UNAUTHORIZED'],
		[429, undefined, 'errors.HMI_ERR_RATE_LIMITED'],
		[500, undefined, 'errors.unknown'],
		// A code that is not ours is no code: a proxy's or another program's.
		[500, 'not ours', 'errors.unknown'],
		[401, 'SOMETHING_ELSE', 'errors.HMI_ERR_UNAUTHORIZED']
	])('%s %s → %s', (status, code, key) => expect(errorKey(status, code, 'errors.unknown')).toBe(key));

	test("a screen's own text for a code wins over the code's", () => {
		expect(errorKey(400, 'HMI_ERR_BAD_REQUEST', 'x', { HMI_ERR_BAD_REQUEST: 'screen.invalid' })).toBe('screen.invalid');
		expect(errorKey(403, 'HMI_ERR_FORBIDDEN', 'x', { HMI_ERR_BAD_REQUEST: 'screen.invalid' })).toBe('errors.HMI_ERR_FORBIDDEN');
	});
});

describe('send', () => {
	test('every code the server can answer is shown with its own text', async () => {
		for (const code of ERROR_CODES) {
			const res = await send('/api/x', { ...texts, fetchFn: answer(500, { message: 'm', code }) as typeof fetch });
			expect(res, code).toEqual({ ok: false, key: `errors.${code}`, status: 500, code, message: 'm' });
		}
	});

	test("an answer without one of our codes gets the status's text, else the screen's", async () => {
		expect(await send('/api/x', { ...texts, fetchFn: answer(403, 'Forbidden') as typeof fetch })).toEqual({ ok: false, key: 'errors.HMI_ERR_FORBIDDEN', status: 403 });
		expect(await send('/api/x', { ...texts, fetchFn: answer(502, { code: 'SOMETHING_ELSE' }) as typeof fetch })).toEqual({ ok: false, key: 'screen.failed', status: 502 });
	});

	test('no answer at all', async () => {
		const offline = vi.fn(async () => {
			throw new TypeError('Failed to fetch');
		});
		expect(await send('/api/x', { ...texts, fetchFn: offline as typeof fetch })).toEqual({ ok: false, key: 'screen.network', status: 0 });
	});

	test('sends JSON and hands back the parsed answer', async () => {
		const f = answer(201, { id: 7 });
		expect(await send('/api/x', { ...texts, method: 'POST', json: { a: 1 }, fetchFn: f as typeof fetch })).toEqual({ ok: true, status: 201, body: { id: 7 } });
		const [url, init] = f.mock.calls[0];
		expect(url).toBe('/api/x');
		expect(init).toMatchObject({ method: 'POST', body: '{"a":1}', headers: { accept: 'application/json', 'content-type': 'application/json' } });
		expect(await send('/api/x', { ...texts, fetchFn: answer(200, 'not json') as typeof fetch })).toEqual({ ok: true, status: 200, body: undefined });
	});
});
