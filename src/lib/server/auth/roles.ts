import type { Role } from '$lib/shared/permissions';

export type { Role };

/** The roles, from operator on the floor to administrator. */
export const ROLES: readonly Role[] = ['operator', 'maintenance', 'manager', 'admin'];

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
