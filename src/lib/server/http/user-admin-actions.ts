import { z } from 'zod';
import { MAX_PASSWORD_LENGTH } from '../auth/user-rules';

const password = z.string().max(MAX_PASSWORD_LENGTH * 4);

export const createUserBody = z.object({ username: z.string().trim().max(64), role: z.string(), password }).strict();

/** `POST /api/admin/users/<id>/<action>`: the body each action takes. */
export const USER_ACTION_BODIES = {
	disable: z.object({}).strict(),
	enable: z.object({}).strict(),
	password: z.object({ password }).strict(),
	role: z.object({ role: z.string() }).strict()
} as const;

export type UserActionName = keyof typeof USER_ACTION_BODIES;

export function isUserAction(name: string): name is UserActionName {
	return Object.hasOwn(USER_ACTION_BODIES, name);
}
