import { describe, expect, test } from 'vitest';
import { fetchHistory, historyPoints, historyUrl } from './history-api';

const q = { path: 'acme/a/b', from: 1000.4, to: 2000.2, points: 640 };
const reply = (status: number, body: unknown) => async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

test('points stay within the server limits', () => {
	expect(historyPoints(800)).toBe(800);
	expect(historyPoints(0)).toBe(4);
	expect(historyPoints(1e9)).toBe(20_000);
	expect(historyPoints(Number.NaN)).toBe(4);
});

test('url', () => {
	expect(historyUrl(q)).toBe('/api/history?path=acme%2Fa%2Fb&from=1000&to=2001&points=640');
});

describe('fetchHistory', () => {
	test('samples, with null gaps; disordered ones skipped', async () => {
		const r = await fetchHistory(q, reply(200, { path: q.path, raw: false, count: 9, ts: [1, 2, 2, 3], v: [1.5, null, 7, 3] }) as typeof fetch);
		expect(r).toEqual({ ok: true, raw: false, series: { ts: [1, 2, 3], v: [1.5, null, 3] } });
	});
	test('a tag without history yet is an empty trend', async () => {
		const r = await fetchHistory(q, reply(400, { message: 'no history for "acme/a/b"', code: 'HMI_ERR_UNKNOWN_TAG' }) as typeof fetch);
		expect(r).toEqual({ ok: true, raw: true, series: { ts: [], v: [] } });
	});
	test.each([
		[400, { message: 'to must be after from', code: 'HMI_ERR_BAD_REQUEST' }, 'trends.error.load'],
		[401, { message: 'x' }, 'errors.HMI_ERR_UNAUTHORIZED'],
		[403, { message: 'x' }, 'errors.HMI_ERR_FORBIDDEN'],
		[500, 'oops', 'trends.error.load'],
		[200, { ts: [1], v: [] }, 'trends.error.load']
	])('HTTP %s → %s', async (status, body, key) => {
		expect(await fetchHistory(q, reply(status, body) as typeof fetch)).toEqual({ ok: false, key });
	});
	test('network failure', async () => {
		const r = await fetchHistory(q, (async () => {
			throw new TypeError('fetch failed');
		}) as typeof fetch);
		expect(r).toEqual({ ok: false, key: 'trends.error.network' });
	});
});
