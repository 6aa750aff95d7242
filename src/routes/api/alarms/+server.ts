import { json } from '@sveltejs/kit';
import { getRuntime } from '$lib/server/runtime';
import { requireUser } from '$lib/server/http/guards';
import type { RequestHandler } from './$types';

/** Every alarm with its current state (the same records that stream over /ws). */
export const GET: RequestHandler = async ({ locals }) => {
	requireUser(locals);
	return json((await getRuntime()).alarms.records(), { headers: { 'cache-control': 'no-store' } });
};
