import { json } from '@sveltejs/kit';
import { services } from '$lib/server/services';
import { requireUser } from '$lib/server/http/guards';
import type { RequestHandler } from './$types';

/** Every alarm with its current state (the same records that stream over /ws). */
export const GET: RequestHandler = async ({ locals }) => {
	requireUser(locals);
	return json((await services()).alarms.records(), { headers: { 'cache-control': 'no-store' } });
};
