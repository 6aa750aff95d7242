import { services } from '$lib/server/services';
import { requirePermission } from '$lib/server/http/write-guards';
import type { PageServerLoad } from './$types';

/** Admins only (others get 403): every user, never a password hash. */
export const load: PageServerLoad = async ({ locals }) => {
	const admin = requirePermission(locals, 'users.admin');
	return { users: (await services()).users.list(), me: admin.username };
};
