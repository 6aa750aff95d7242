/**
 * The plant overview (ISA-101 level 1): what a line's header row and its machine tiles show, and in what
 * order. Pure functions over plain data: the alarm records the banner reads, machine states, the layout.
 */
import type { MachineState, PlantView } from '$lib/shared/plant-view';
import { HIDDEN_STATES, alarmTime, locate, type Alarm } from './alarms';

/**
 * An alarm that stands on the overview: anything not back to normal (active, or returned but not yet
 * acknowledged, or latched) and not taken out of the operator's view (shelved, suppressed, out of service).
 */
export function isStanding(a: Pick<Alarm, 'state'>): boolean {
	return a.state !== 'normal' && !HIDDEN_STATES.has(a.state);
}

/**
 * The one alarm that matters most: most urgent priority; then still active over returned; then newest;
 * then by id so the choice does not flicker between equals.
 */
export function worstAlarm(alarms: readonly Alarm[]): Alarm | null {
	let worst: Alarm | null = null;
	for (const a of alarms) {
		if (!isStanding(a)) continue;
		if (!worst || compareAlarms(a, worst) < 0) worst = a;
	}
	return worst;
}

function compareAlarms(a: Alarm, b: Alarm): number {
	return (
		a.priority - b.priority ||
		Number(b.active) - Number(a.active) ||
		alarmTime(b) - alarmTime(a) ||
		(a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
	);
}

/** Standing alarms per line id and per machine path, each with the worst one picked out. */
export interface AlarmsByPlace {
	line: Map<string, Alarm>;
	machine: Map<string, Alarm>;
}

/** Sorts standing alarms to the line and machine they belong to (from their ids) and keeps the worst of each. */
export function worstAlarmsByPlace(plant: PlantView, alarms: readonly Alarm[]): AlarmsByPlace {
	const byLine = new Map<string, Alarm[]>();
	const byMachine = new Map<string, Alarm[]>();
	const add = (map: Map<string, Alarm[]>, key: string, a: Alarm) => {
		const list = map.get(key);
		if (list) list.push(a);
		else map.set(key, [a]);
	};
	for (const a of alarms) {
		if (!isStanding(a)) continue;
		const place = locate(plant, a);
		if (place.line) add(byLine, place.line.id, a);
		if (place.machine) add(byMachine, place.machine.path, a);
	}
	const worstOf = (map: Map<string, Alarm[]>) =>
		new Map([...map].map(([k, list]) => [k, worstAlarm(list)!] as const));
	return { line: worstOf(byLine), machine: worstOf(byMachine) };
}

/**
 * How much a machine needs attention, lower first: a fault, then an alarm by its priority, then starved or
 * blocked, then a state that is not known (no data), then everything normal.
 */
export function attentionRank(state: MachineState | null, alarm: Pick<Alarm, 'priority'> | null): number {
	if (state === 'fault') return 0;
	if (alarm) return alarm.priority;
	if (state === 'starved' || state === 'blocked') return 5;
	if (state === null) return 6;
	return 7;
}

/** Abnormal first; machines that need the same attention keep the line's order (stable sort). */
export function byAttention<T>(items: readonly T[], rank: (item: T) => number): T[] {
	return items
		.map((item, index) => ({ item, index, rank: rank(item) }))
		.sort((a, b) => a.rank - b.rank || a.index - b.index)
		.map((e) => e.item);
}

/**
 * The state a line header shows: a fault anywhere on the line stops it, so any faulted machine makes the
 * line `fault`; otherwise the line runs as its constraint machine does (its OEE is the line's OEE).
 * Null when the constraint's state is not known.
 */
export function lineState(states: ReadonlyMap<string, MachineState | null>, constraint: string): MachineState | null {
	for (const s of states.values()) if (s === 'fault') return 'fault';
	return states.get(constraint) ?? null;
}

/**
 * From this many lines the overview is drawn dense (smaller values, each line's summary beside its
 * machines), so a wallboard shows six lines of six machines on one 1920×1080 screen. Fewer lines keep
 * the arm's-length sizes (values 32 px, labels 16 px).
 */
export const DENSE_FROM_LINES = 3;
