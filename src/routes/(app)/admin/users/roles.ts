import type { Role } from '$lib/shared/permissions';

/** The roles an admin can give, in the order of the role list (the server checks them again). */
export const ROLE_NAMES: readonly Role[] = ['operator', 'maintenance', 'manager', 'admin'];
