import { json } from '@sveltejs/kit';
import { services } from '$lib/server/services';
import { requireUser } from '$lib/server/http/guards';
import { fromStorage } from '$lib/server/http/storage';
import type { RequestHandler } from './$types';
import { httpError } from '$lib/server/http/http-error';

/** Most points one answer may hold, and the longest range, so no request can hang the server. */
const MAX_POINTS = 20_000;
const MAX_RANGE_MS = 400 * 86_400_000;

function bad(message: string): never {
	httpError('HMI_ERR_BAD_REQUEST', message);
}

function time(url: URL, name: string): number {
	const raw = url.searchParams.get(name);
	if (!raw) bad(`${name} is required (epoch ms or ISO 8601)`);
	const value = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
	if (!Number.isFinite(value)) bad(`${name} must be epoch milliseconds or an ISO date`);
	return value;
}

/**
 * A tag's history in [from, to): `{ path, from, to, raw, count, ts: number[], v: (number|null)[] }`.
 * With more samples than `points` (default 2,000) it is downsampled: each bucket's first, lowest, highest
 * and last sample, so spikes survive. null values are gaps (the value was bad or stale). The range is
 * [from, to). A path without history answers 400 with code HMI_ERR_UNKNOWN_TAG; a database that cannot be
 * read, 503 HMI_ERR_STORAGE. A tag that has not reported since the server started is read from disk.
 */
export const GET: RequestHandler = async ({ locals, url }) => {
	requireUser(locals);
	const path = url.searchParams.get('path');
	if (!path) bad('path is required');
	const from = time(url, 'from');
	const to = time(url, 'to');
	if (to <= from) bad('to must be after from');
	if (to - from > MAX_RANGE_MS) bad('the range may be at most 400 days');
	const points = Number(url.searchParams.get('points') ?? 2000);
	if (!Number.isInteger(points) || points < 4 || points > MAX_POINTS) bad(`points must be 4 to ${MAX_POINTS}`);
	const { history } = await services();
	const result = await fromStorage(() => history.query(path, from, to, points));
	// A tag the historian has not recorded (yet): still a 400 as for any bad path, with its own code.
	if (!result) httpError('HMI_ERR_UNKNOWN_TAG', `no history for ${JSON.stringify(path.slice(0, 200))}`);
	return json(
		{
			path,
			from,
			to,
			raw: result.raw,
			count: result.count,
			ts: Array.from(result.ts),
			v: Array.from(result.values, (v) => (Number.isNaN(v) ? null : v))
		},
		{ headers: { 'cache-control': 'no-store' } }
	);
};
