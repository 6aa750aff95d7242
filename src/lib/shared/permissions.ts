/**
 * Who may do what. The server checks every write against this table; the browser uses it only to hide
 * buttons a user may not press.
 */
export type Role = 'operator' | 'maintenance' | 'manager' | 'admin';

export const PERMISSIONS = {
	'alarm.ack': ['operator', 'maintenance', 'admin'],
	'alarm.shelve': ['maintenance', 'admin'],
	'alarm.out_of_service': ['maintenance', 'admin'],
	'alarm.reset': ['maintenance', 'admin'],
	/** Change a writable setpoint or send a machine command (within the plant model's limits). */
	'setpoint.write': ['operator', 'maintenance', 'admin'],
	/** Publish to (or clear a retained) UNS topic, and ask a Sparkplug node to rebirth. */
	'uns.publish': ['admin'],
	'users.admin': ['admin']
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
	return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/**
 * Where each role starts after signing in (and where `/` and an error page's way back lead): the screen
 * its work begins on. Operators watch the plant, maintenance works the alarm list, managers read the KPIs.
 */
const START_PAGES: Record<Role, string> = {
	operator: '/operator',
	maintenance: '/alarms',
	manager: '/kpi',
	admin: '/operator'
};

export function startPage(role: Role): string {
	return START_PAGES[role];
}
