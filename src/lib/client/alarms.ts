/**
 * Alarms as the screens need them: records read from their tags, what counts as unacknowledged, the list's
 * filters and sort orders, which actions a role may offer on a row, and which new alarms deserve a sound.
 * Pure functions over plain data, so the rules are tested without a browser.
 */
import {
	ALARM_STATES,
	PRIORITY_NAMES,
	type AlarmDisplayState,
	type AlarmPriority,
	type AlarmRecord
} from '$lib/shared/alarms';
import { ALARM_SEGMENT } from '$lib/shared/uns-path';
import type { LineView, MachineView, PlantView, TagView } from '$lib/shared/plant-view';
import { can, type Role } from '$lib/shared/permissions';

/** An alarm record with its id (the path of the tag that carries it). */
export interface Alarm extends AlarmRecord {
	id: string;
}

export type PriorityName = (typeof PRIORITY_NAMES)[AlarmPriority];

/** Most urgent first. */
export const PRIORITIES: readonly AlarmPriority[] = [1, 2, 3, 4];

/** States in which an alarm is taken out of the operator's view; the list shows them only on request. */
export const HIDDEN_STATES: ReadonlySet<AlarmDisplayState> = new Set(['shelved', 'suppressed', 'out_of_service']);

/** Shelve durations offered, in minutes (15 min, 1 h, 4 h, 8 h). */
export const SHELVE_PRESETS_MIN: readonly number[] = [15, 60, 240, 480];

/**
 * Longest shelve the plant allows, in minutes (`alarmSettings.maxShelveMinutes`). The browser does not get
 * the plant's alarm settings, so this mirrors the shipped default; the server refuses longer ones
 * (`alarm.shelve_too_long`) whatever the screen offers.
 */
export const MAX_SHELVE_MINUTES = 480;

/** True for `…/_alarms/<name>`: the tag carries an alarm record. */
export function isAlarmPath(path: string): boolean {
	const end = path.lastIndexOf('/');
	if (end <= 0) return false;
	const start = path.lastIndexOf('/', end - 1);
	return path.slice(start + 1, end) === ALARM_SEGMENT;
}

const STATE_SET: ReadonlySet<string> = new Set(ALARM_STATES);

/** The tag value as an alarm, or null when it is not a usable record (then the screens leave it out). */
export function toAlarm(id: string, value: unknown): Alarm | null {
	if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
	const v = value as Partial<AlarmRecord>;
	if (typeof v.state !== 'string' || !STATE_SET.has(v.state)) return null;
	if (v.priority !== 1 && v.priority !== 2 && v.priority !== 3 && v.priority !== 4) return null;
	if (!v.message || typeof v.message !== 'object') return null;
	return { ...(v as AlarmRecord), id };
}

/** Needs an operator's acknowledgement (and is not hidden by shelving, suppression or out of service). */
export function isUnacked(a: Pick<AlarmRecord, 'state' | 'acked'>): boolean {
	return a.state === 'unack_active' || a.state === 'rtn_unack' || (a.state === 'latched' && !a.acked);
}

/** When the alarm came in (activation), or its last change once it is no longer active. Epoch ms. */
export function alarmTime(a: Pick<AlarmRecord, 'activeSince' | 'changedAt'>): number {
	return a.activeSince ?? a.changedAt;
}

export interface AlarmSummary {
	/** Unacknowledged alarms per priority. */
	counts: Record<PriorityName, number>;
	/** The unacknowledged alarm that came in last, or null. */
	newest: Alarm | null;
}

export function summarise(alarms: readonly Alarm[]): AlarmSummary {
	const counts: Record<PriorityName, number> = { critical: 0, high: 0, medium: 0, low: 0 };
	let newest: Alarm | null = null;
	for (const a of alarms) {
		if (!isUnacked(a)) continue;
		counts[PRIORITY_NAMES[a.priority]]++;
		if (!newest || alarmTime(a) > alarmTime(newest) || (alarmTime(a) === alarmTime(newest) && a.priority < newest.priority))
			newest = a;
	}
	return { counts, newest };
}

export interface AlarmFilter {
	line: string | null;
	machine: string | null;
	priority: AlarmPriority | null;
	state: AlarmDisplayState | null;
	/** Also list shelved, suppressed and out-of-service alarms. */
	showHidden: boolean;
}

export const NO_FILTER: AlarmFilter = { line: null, machine: null, priority: null, state: null, showHidden: false };

export type AlarmSort = 'priority' | 'time';
export const ALARM_SORTS: readonly AlarmSort[] = ['priority', 'time'];

/**
 * The rows of the alarm list: never `normal` ones; hidden ones only with `showHidden` (or when the state
 * filter asks for one of them).
 */
export function filterAlarms(alarms: readonly Alarm[], f: AlarmFilter): Alarm[] {
	return alarms.filter((a) => {
		if (a.state === 'normal') return false;
		if (HIDDEN_STATES.has(a.state) && !f.showHidden && f.state !== a.state) return false;
		if (f.line !== null && a.line !== f.line) return false;
		if (f.machine !== null && a.machine !== f.machine) return false;
		if (f.priority !== null && a.priority !== f.priority) return false;
		if (f.state !== null && a.state !== f.state) return false;
		return true;
	});
}

/** `priority`: most urgent first, newest first within a priority. `time`: newest first. Ties by id. */
export function sortAlarms(alarms: readonly Alarm[], order: AlarmSort): Alarm[] {
	const byTime = (a: Alarm, b: Alarm) => alarmTime(b) - alarmTime(a);
	const byPriority = (a: Alarm, b: Alarm) => a.priority - b.priority;
	const byId = (a: Alarm, b: Alarm) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
	return [...alarms].sort(
		order === 'priority'
			? (a, b) => byPriority(a, b) || byTime(a, b) || byId(a, b)
			: (a, b) => byTime(a, b) || byPriority(a, b) || byId(a, b)
	);
}

export type RowAction = 'ack' | 'shelve' | 'unshelve' | 'out-of-service' | 'return-to-service' | 'reset';

/**
 * The actions a row offers to `role`, in display order. Only what the server would accept in the alarm's
 * present state, so the operator is not shown buttons that can only be refused.
 */
export function actionsFor(a: Alarm, role: Role | null | undefined): RowAction[] {
	if (!role) return [];
	const out: RowAction[] = [];
	if (can(role, 'alarm.ack') && isUnacked(a)) out.push('ack');
	if (can(role, 'alarm.reset') && a.state === 'latched') out.push('reset');
	if (can(role, 'alarm.shelve')) {
		if (a.state === 'shelved') out.push('unshelve');
		else if (a.state !== 'out_of_service') out.push('shelve');
	}
	if (can(role, 'alarm.out_of_service')) out.push(a.state === 'out_of_service' ? 'return-to-service' : 'out-of-service');
	return out;
}

/** Where an alarm sits in the plant, worked out from its id (`<line path>/_alarms/…`, `<machine path>/_alarms/…`). */
export interface AlarmPlace {
	line: LineView | null;
	machine: MachineView | null;
	/** The analog tag a limit alarm watches (`…/_alarms/<tag>_<level>`), for its unit and decimals. */
	tag: TagView | null;
}

export function locate(plant: PlantView, a: Pick<Alarm, 'id' | 'line' | 'machine'>): AlarmPlace {
	const owner = a.id.slice(0, Math.max(0, a.id.lastIndexOf(`/${ALARM_SEGMENT}/`)));
	const name = a.id.slice(a.id.lastIndexOf('/') + 1);
	const line =
		plant.lines.find((l) => l.path === owner || owner.startsWith(`${l.path}/`)) ??
		plant.lines.find((l) => l.id === a.line) ??
		null;
	const machine =
		line?.machines.find((m) => m.path === owner) ??
		(a.machine ? line?.machines.find((m) => m.id === a.machine) : undefined) ??
		null;
	let tag: TagView | null = null;
	for (const t of machine?.tags ?? []) {
		if (name.startsWith(`${t.id}_`) && (!tag || t.id.length > tag.id.length)) tag = t;
	}
	return { line, machine, tag };
}

/** Alarms that need the operator's ear: unacknowledged and active, critical or high. */
export const SOUND_MAX_PRIORITY: AlarmPriority = 2;

/**
 * Tells which critical/high alarms came in since the last look. The first look only takes note (a page load
 * does not sound for alarms that were already standing); each activation sounds once.
 */
export class AnnunciationWatch {
	#seen: Set<string> | null = null;

	/** @returns the alarms that newly need attention since the previous call */
	update(alarms: readonly Alarm[]): Alarm[] {
		const now = new Set<string>();
		const fresh: Alarm[] = [];
		for (const a of alarms) {
			if (a.state !== 'unack_active' || a.priority > SOUND_MAX_PRIORITY) continue;
			const key = `${a.id}@${a.activeSince ?? ''}`;
			now.add(key);
			if (this.#seen && !this.#seen.has(key)) fresh.push(a);
		}
		this.#seen = now;
		return fresh;
	}
}

/** The flood indicator's value, narrowed; inactive when missing or malformed. */
export function toFlood(value: unknown): { active: boolean; count: number } {
	if (!value || typeof value !== 'object') return { active: false, count: 0 };
	const v = value as { active?: unknown; count?: unknown };
	return { active: v.active === true, count: typeof v.count === 'number' && Number.isFinite(v.count) ? v.count : 0 };
}
