import { services } from '$lib/server/services';
import { auditQueryFrom } from '$lib/server/http/audit-query';
import { requirePermission } from '$lib/server/http/write-guards';
import { fromStorage } from '$lib/server/http/storage';
import type { PageServerLoad } from './$types';

/** Admins only: the audit log, newest first, filtered by `?action=` (exact or a prefix ending in "."). */
export const load: PageServerLoad = async ({ locals, url }) => {
	requirePermission(locals, 'users.admin');
	const query = auditQueryFrom(url);
	const { audit } = await services();
	return { entries: await fromStorage(() => audit.query(query)), action: query.action ?? '' };
};
