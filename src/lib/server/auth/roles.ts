/** The roles, from operator on the floor to administrator. */
export const ROLES = ['operator', 'maintenance', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
