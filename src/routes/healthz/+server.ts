import { json } from '@sveltejs/kit';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/**
 * Liveness and source states for load balancers and monitoring. No session needed, so it says only
 * whether each source is connected and how much has flowed — no values.
 */
export const GET: RequestHandler = async () => {
	const report = (await getRuntime()).health();
	return json(report, { headers: { 'cache-control': 'no-store' } });
};
