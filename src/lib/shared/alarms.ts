import type { LocalText } from './plant-view';
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

/** Alarm tags live under `<machine or line path>/_alarms/<name>`. */
export const ALARM_SEGMENT = '_alarms';
/** Plant-wide alarm flood indicator: value `{ active, count }`. */
export const FLOOD_PATH = '_sys/alarms/flood';

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
