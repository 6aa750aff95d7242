import { redirect } from '@sveltejs/kit';
import { services } from '$lib/server/services';
import type { LayoutServerLoad } from './$types';

/** Every app screen needs a session, and the plant as the browser may see it. */
export const load: LayoutServerLoad = async ({ locals }) => {
	if (!locals.user) redirect(303, '/login');
	return { plant: (await services()).plantView };
};
