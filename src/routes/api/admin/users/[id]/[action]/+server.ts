import { json } from '@sveltejs/kit';
import { services, type Services } from '$lib/server/services';
import type { UserAdminResult } from '$lib/server/auth/user-admin-service';
import { USER_ACTION_BODIES, isUserAction, type UserActionName } from '$lib/server/http/user-admin-actions';
import { jsonBody, requirePermission } from '$lib/server/http/write-guards';
import type { RequestHandler } from './$types';
import { httpError } from '$lib/server/http/http-error';

/** disable, enable, password, role: admins only, audited; the user's sessions end on disable, password and role. */
export const POST: RequestHandler = async ({ locals, request, params }) => {
	const admin = requirePermission(locals, 'users.admin');
	if (!isUserAction(params.action)) httpError('HMI_ERR_NOT_FOUND', `unknown user action "${params.action}"`);
	const id = Number(params.id);
	if (!Number.isSafeInteger(id)) httpError('HMI_ERR_USER_UNKNOWN', `no user ${params.id}`);
	const { users } = await services();
	const result = await act(users, params.action, admin.username, id, request);
	if (!result.ok) httpError(result.code, result.message);
	return json(result.user);
};

async function act(users: Services['users'], action: UserActionName, actor: string, id: number, request: Request): Promise<UserAdminResult> {
	switch (action) {
		case 'disable':
		case 'enable':
			await jsonBody(request, USER_ACTION_BODIES[action]);
			return users.setEnabled(actor, id, action === 'enable');
		case 'password':
			return users.resetPassword(actor, id, (await jsonBody(request, USER_ACTION_BODIES.password)).password);
		case 'role':
			return users.setRole(actor, id, (await jsonBody(request, USER_ACTION_BODIES.role)).role);
	}
}
