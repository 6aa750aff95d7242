import { json } from '@sveltejs/kit';
import { services } from '$lib/server/services';
import { auditCsv, auditQueryFrom } from '$lib/server/http/audit-query';
import { requirePermission } from '$lib/server/http/write-guards';
import { fromStorage } from '$lib/server/http/storage';
import type { RequestHandler } from './$types';

/** The audit log, newest first; `?action=user.` filters by prefix, `&format=csv` downloads it. Admins only. */
export const GET: RequestHandler = async ({ locals, url }) => {
	requirePermission(locals, 'users.admin');
	const { audit } = await services();
	const entries = await fromStorage(() => audit.query(auditQueryFrom(url)));
	if (url.searchParams.get('format') === 'csv')
		return new Response(auditCsv(entries), {
			headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="audit.csv"' }
		});
	return json(entries);
};
