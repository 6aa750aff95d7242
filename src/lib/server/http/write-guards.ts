import type { z } from 'zod';
import { can, type Permission } from '$lib/shared/permissions';
import type { SessionUser } from '../auth/auth-service';
import { requireUser } from './guards';
import { httpError } from './http-error';

/** The signed-in user if their role has `permission`: 401 without a session, 403 (nothing changed) without the right. */
export function requirePermission(locals: App.Locals, permission: Permission): SessionUser {
	const user = requireUser(locals);
	if (!can(user.role, permission)) httpError('HMI_ERR_FORBIDDEN', `the ${user.role} role may not do ${permission}`);
	return user;
}

/** The JSON body checked against `schema`: 415 for anything but application/json, 400 with the first problem. */
export async function jsonBody<T>(request: Request, schema: z.ZodType<T>): Promise<T> {
	if (!request.headers.get('content-type')?.startsWith('application/json'))
		httpError('HMI_ERR_NOT_JSON', 'send the body as application/json');
	const parsed = schema.safeParse(await request.json().catch(() => undefined));
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		httpError('HMI_ERR_BAD_REQUEST', `${issue.path.join('.') || 'body'}: ${issue.message}`);
	}
	return parsed.data;
}
