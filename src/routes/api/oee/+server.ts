import { json } from '@sveltejs/kit';
import { services } from '$lib/server/services';
import { requireUser } from '$lib/server/http/guards';
import { fromStorage } from '$lib/server/http/storage';
import type { RequestHandler } from './$types';
import { httpError } from '$lib/server/http/http-error';

/** Most shifts of history one request may ask for (three weeks of three shifts). */
const MAX_SHIFTS = 63;

/**
 * OEE per line and machine: the current shift (as the `_kpi/shift` tags stream it) and up to `count`
 * earlier shifts from the database, newest first. `{ [path]: { current, history } }`.
 */
export const GET: RequestHandler = async ({ locals, url }) => {
	requireUser(locals);
	const count = Number(url.searchParams.get('count') ?? 9);
	if (!Number.isInteger(count) || count < 0 || count > MAX_SHIFTS)
		httpError('HMI_ERR_BAD_REQUEST', `count must be 0 to ${MAX_SHIFTS}`);
	const { oee } = await services();
	const { lines, machines } = oee.paths();
	const body = await fromStorage(() =>
		Object.fromEntries([...lines, ...machines].map((path) => [path, { current: oee.current(path) ?? null, history: oee.history(path, count) }]))
	);
	return json(body, { headers: { 'cache-control': 'no-store' } });
};
