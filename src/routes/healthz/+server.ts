import { json } from '@sveltejs/kit';
import { services } from '$lib/server/services';
import { requirePermission } from '$lib/server/http/write-guards';
import { publicHealth } from './public-health';
import type { RequestHandler } from './$types';

/**
 * Liveness and source states for load balancers and monitoring. No session needed, so it says only
 * whether each source is connected and how much has flowed, and the storage's state in one word — no values,
 * endpoints, paths, users or errors.
 * `?detail=1` adds those (and the hub's figures) for a signed-in admin: 401 without a session, 403 for other roles.
 */
export const GET: RequestHandler = async ({ locals, url }) => {
	const detail = url.searchParams.get('detail') === '1';
	if (detail) requirePermission(locals, 'users.admin');
	const report = (await services()).health();
	return json(detail ? report : publicHealth(report), { headers: { 'cache-control': 'no-store' } });
};
