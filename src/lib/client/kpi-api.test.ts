import { describe, expect, test, vi } from 'vitest';
import { fetchOeeHistory, parseOeeHistory } from './kpi-api';

function fakeFetch(status: number, body: unknown) {
	return vi.fn(async (_url: string | URL | Request, _init?: RequestInit) =>
		new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
	);
}

const row = { key: '2026-11-24/early', shiftId: 'early', start: 1, end: 2, oee: 0.5, total: 10, good: 9 };

describe('fetchOeeHistory', () => {
	test('asks for `count` earlier shifts and keeps every path', async () => {
		const f = fakeFetch(200, { 'a/line1': { current: row, history: [row] }, 'a/line1/filler': { current: null, history: [] } });
		const out = await fetchOeeHistory(9, f as typeof fetch);
		expect(f.mock.calls[0][0]).toBe('/api/oee?count=9');
		expect(out.ok).toBe(true);
		if (!out.ok) return;
		expect(Object.keys(out.paths)).toEqual(['a/line1', 'a/line1/filler']);
		expect(out.paths['a/line1'].current).toMatchObject({ key: row.key, oee: 0.5, good: 9 });
		expect(out.paths['a/line1'].history).toHaveLength(1);
		expect(out.paths['a/line1/filler']).toEqual({ current: null, history: [] });
	});

	test.each([
		[401, {}, 'errors.HMI_ERR_UNAUTHORIZED'],
		[403, {}, 'errors.HMI_ERR_FORBIDDEN'],
		[429, {}, 'errors.HMI_ERR_RATE_LIMITED'],
		[400, { code: 'HMI_ERR_BAD_REQUEST' }, 'kpi.history.failed'],
		[500, 'oops', 'kpi.history.failed'],
		[200, 'not json', 'kpi.history.failed'],
		[200, [1, 2], 'kpi.history.failed']
	])('HTTP %s %j → %s', async (status, body, key) => {
		expect(await fetchOeeHistory(9, fakeFetch(status, body) as typeof fetch)).toEqual({ ok: false, key });
	});

	test('no network', async () => {
		const f = vi.fn(async () => {
			throw new TypeError('Failed to fetch');
		});
		expect(await fetchOeeHistory(9, f as typeof fetch)).toEqual({ ok: false, key: 'kpi.history.network' });
	});
});

test('parseOeeHistory skips malformed entries and rows', () => {
	expect(parseOeeHistory({ a: null, b: { current: 'x', history: [row, 5] }, c: { history: 'no' } })).toEqual({
		b: { current: null, history: [expect.objectContaining({ key: row.key })] },
		c: { current: null, history: [] }
	});
	expect(parseOeeHistory(null)).toBeNull();
});
