import type { AlarmRecord } from '$lib/shared/alarms';

/** An alarm record as the server publishes it: an unacknowledged capper fault on line 2, unless patched. */
export function alarmRecord(patch: Partial<AlarmRecord> = {}): AlarmRecord {
	return {
		state: 'unack_active',
		priority: 2,
		active: true,
		acked: false,
		latching: false,
		chattering: false,
		line: 'line2',
		machine: 'capper',
		message: { en: 'Machine fault', nl: 'Machinestoring' },
		value: 'fault',
		detail: 201,
		activeSince: 1000,
		changedAt: 1000,
		...patch
	};
}
