import { SYSTEM_ROOT } from './uns-path';
import type { LocalText } from './languages';
import type { TagValue } from './protocol';

/** What an alarm shows, ISA-18.2 states plus the ways an alarm can be taken out of the operator's view. */
export const ALARM_STATES = [
	'normal',
	'unack_active',
	'ack_active',
	'rtn_unack',
	'latched',
	'shelved',
	'suppressed',
	'out_of_service'
] as const;
export type AlarmDisplayState = (typeof ALARM_STATES)[number];

/** 1 critical, 2 high, 3 medium, 4 low. */
export type AlarmPriority = 1 | 2 | 3 | 4;
export const PRIORITY_NAMES: Record<AlarmPriority, 'critical' | 'high' | 'medium' | 'low'> = {
	1: 'critical',
	2: 'high',
	3: 'medium',
	4: 'low'
};

/**
 * The HMI server's own node in the UNS. Its system alarms (storage, database file, clock) are alarms like
 * any other, under `_sys/hmi/_alarms/<name>`, as a line's communication alarm is under `<line>/_alarms/comms`.
 */
export const SYSTEM_NODE = `${SYSTEM_ROOT}/hmi`;
/** The `line` of a system alarm: it belongs to no production line. */
export const SYSTEM_LINE = SYSTEM_ROOT;
/** The system alarms, by name (`_sys/hmi/_alarms/<name>`); their texts are `alarms.system.<name>`. */
export const SYSTEM_ALARMS = ['journal_not_writable', 'database_file', 'database_damaged', 'database_unusable', 'clock_jump'] as const;
export type SystemAlarmName = (typeof SYSTEM_ALARMS)[number];
/** Plant-wide alarm flood indicator: value `{ active, count }`. */
export const FLOOD_PATH = `${SYSTEM_ROOT}/alarms/flood`;

/** The value of an alarm tag as it streams to the browser (and the REST API). */
export interface AlarmRecord {
	state: AlarmDisplayState;
	priority: AlarmPriority;
	/** The process condition (after delays). */
	active: boolean;
	acked: boolean;
	latching: boolean;
	chattering: boolean;
	line: string;
	machine?: string;
	message: LocalText;
	/** Last value of the triggering tag, and the detail (e.g. reason code) kept at activation. */
	value: TagValue;
	detail: TagValue;
	activeSince: number | null;
	changedAt: number;
	shelved?: { kind: 'timed' | 'one-shot'; until?: number; by: string; reason: string };
	outOfService?: { by: string; reason: string };
}
