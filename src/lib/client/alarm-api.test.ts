import { describe, expect, test, vi } from 'vitest';
import { fetchJournal, journalParams, postAlarmAction } from './alarm-api';

function fakeFetch(status: number, body: unknown) {
	return vi.fn(async (_url: string | URL | Request, _init?: RequestInit) =>
		new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
	);
}

describe('postAlarmAction', () => {
	test('posts the body (without the action) to /api/alarms/<action> as JSON', async () => {
		const f = fakeFetch(200, { results: [{ id: 'a', ok: true }] });
		const out = await postAlarmAction({ action: 'ack', ids: ['a'], comment: 'ok' }, f as typeof fetch);
		expect(out).toEqual({ ok: true, results: [{ id: 'a', ok: true }] });
		const [url, init] = f.mock.calls[0];
		expect(url).toBe('/api/alarms/ack');
		expect(init?.method).toBe('POST');
		expect((init?.headers as Record<string, string>)['content-type']).toBe('application/json');
		expect(JSON.parse(String(init?.body))).toEqual({ ids: ['a'], comment: 'ok' });
	});

	test('a refusal is a result, not a failure', async () => {
		const f = fakeFetch(200, { results: [{ id: 'a', ok: false, code: 'alarm.nothing_to_ack' }] });
		expect(await postAlarmAction({ action: 'ack', ids: ['a'] }, f as typeof fetch)).toEqual({
			ok: true,
			results: [{ id: 'a', ok: false, code: 'alarm.nothing_to_ack' }]
		});
	});

	test.each([
		[403, { message: 'no', code: 'HMI_ERR_FORBIDDEN' }, 'errors.HMI_ERR_FORBIDDEN'],
		[401, { message: 'no' }, 'errors.HMI_ERR_UNAUTHORIZED'],
		[400, { message: 'bad', code: 'HMI_ERR_BAD_REQUEST' }, 'alarms.result.badRequest'],
		[500, 'oops', 'alarms.result.failed'],
		[200, 'not json', 'alarms.result.failed'],
		[200, { nope: 1 }, 'alarms.result.failed']
	])('HTTP %s %j → %s', async (status, body, key) => {
		const out = await postAlarmAction({ action: 'reset', id: 'a' }, fakeFetch(status, body) as typeof fetch);
		expect(out).toEqual({ ok: false, key });
	});

	test('no network', async () => {
		const f = vi.fn(async () => {
			throw new TypeError('Failed to fetch');
		});
		expect(await postAlarmAction({ action: 'unshelve', id: 'a' }, f as typeof fetch)).toEqual({ ok: false, key: 'alarms.result.network' });
	});
});

describe('journal', () => {
	test('query string leaves out empty filters', () => {
		expect(String(journalParams({ from: 1000.4, to: 2000, alarm: '', user: 'maintenance', state: '' }))).toBe('from=1000&to=2000&user=maintenance');
		expect(String(journalParams({ from: 1, to: 2, alarm: 'a/_alarms/b', state: 'ack_active', limit: 5000 }, 'csv'))).toBe(
			'from=1&to=2&alarm=a%2F_alarms%2Fb&state=ack_active&limit=5000&format=csv'
		);
	});

	test('fetches entries', async () => {
		const f = fakeFetch(200, [{ id: 1 }]);
		expect(await fetchJournal({ from: 1, to: 2, limit: 500 }, f as typeof fetch)).toEqual({ ok: true, entries: [{ id: 1 }] });
		expect(f.mock.calls[0][0]).toBe('/api/alarms/journal?from=1&to=2&limit=500');
	});

	test('a failed load says why', async () => {
		expect(await fetchJournal({ from: 1, to: 2 }, fakeFetch(401, {}) as typeof fetch)).toEqual({ ok: false, key: 'errors.HMI_ERR_UNAUTHORIZED' });
		// The server runs but its database cannot be read.
		expect(await fetchJournal({ from: 1, to: 2 }, fakeFetch(503, { code: 'HMI_ERR_STORAGE' }) as typeof fetch)).toEqual({ ok: false, key: 'errors.HMI_ERR_STORAGE' });
	});
});
