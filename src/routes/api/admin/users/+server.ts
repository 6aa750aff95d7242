import { json } from '@sveltejs/kit';
import { services } from '$lib/server/services';
import { createUserBody } from '$lib/server/http/user-admin-actions';
import { jsonBody, requirePermission } from '$lib/server/http/write-guards';
import type { RequestHandler } from './$types';
import { httpError } from '$lib/server/http/http-error';

/** The users (never their password hashes); admins only. */
export const GET: RequestHandler = async ({ locals }) => {
	requirePermission(locals, 'users.admin');
	return json((await services()).users.list());
};

/** Creates a user; 201 with the user, 400 bad name/role/password, 409 name taken. Audited as `user.create`. */
export const POST: RequestHandler = async ({ locals, request }) => {
	const admin = requirePermission(locals, 'users.admin');
	const body = await jsonBody(request, createUserBody);
	const result = await (await services()).users.create(admin.username, body.username, body.role, body.password);
	if (!result.ok) httpError(result.code, result.message);
	return json(result.user, { status: 201 });
};
