/**
 * The plant as the browser sees it: the validated plant model with every UNS path worked out and
 * connection details (endpoints, namespaces) left out. Built on the server by `toPlantView`.
 */

import type { LocalText } from './languages';

export type TagKind = 'state' | 'reason' | 'speed' | 'counter' | 'process' | 'order';

/** Machine states every source reports in its `state` tag. */
export const MACHINE_STATES = [
	'running',
	'idle',
	'starved',
	'blocked',
	'fault',
	'planned_stop',
	'changeover'
] as const;
export type MachineState = (typeof MACHINE_STATES)[number];

/** Alarm limit levels of an analog tag, lowest to highest (ISA-18.2: LL, L, H, HH). */
export const LIMIT_LEVELS = ['ll', 'l', 'h', 'hh'] as const;
export type LimitLevel = (typeof LIMIT_LEVELS)[number];

export type ReasonKind = 'none' | 'starved' | 'blocked' | 'idle' | 'fault' | 'planned' | 'changeover';

export interface TagView {
	id: string;
	/** Full UNS path, e.g. `acme/utrecht/packaging/line1/filler/speed`. */
	path: string;
	kind: TagKind;
	label: LocalText;
	unit?: string;
	/** Normal operating range [lo, hi]; values outside it are abnormal. */
	range?: [number, number];
	/** The tag's alarm limits by level (only the levels the plant model declares), in the tag's unit. */
	limits?: Partial<Record<LimitLevel, number>>;
	/** Decimals to show. */
	decimals?: number;
}

/** A value the operator may change (within [min, max], on `step`), reported back by the source on `path`. */
export interface SetpointView {
	id: string;
	/** UNS path of the setpoint tag. */
	path: string;
	label: LocalText;
	unit?: string;
	min: number;
	max: number;
	step?: number;
	decimals?: number;
}

export interface MachineView {
	id: string;
	type: string;
	path: string;
	label: LocalText;
	/** Designed rate, units per minute. */
	idealRatePerMin: number;
	tags: TagView[];
	/** Writable setpoints; absent when the machine has none. */
	setpoints?: SetpointView[];
}

export interface LineView {
	id: string;
	path: string;
	label: LocalText;
	source: 'opcua' | 'mqtt';
	/** Which data source feeds this line; its connection state is the tag `_sys/sources/<sourceId>/state`. */
	sourceId: string;
	/** The machine whose OEE is the line's OEE (its bottleneck). */
	constraint: string;
	machines: MachineView[];
}

export interface PlantView {
	enterprise: string;
	site: string;
	area: string;
	label: LocalText;
	/** A value not refreshed for this long is shown as stale. */
	staleAfterS: number;
	reasons: { code: number; kind: ReasonKind; label: LocalText }[];
	shifts: { id: string; label: LocalText; start: string; end: string }[];
	/** The plant's IANA time zone: shift times are local times there. */
	timezone: string;
	/** Longest a timed alarm shelve may last, minutes. */
	maxShelveMinutes: number;
	/** OEE reference lines for the dashboard, fractions 0..1. */
	oeeTargets: { oee: number; availability: number; performance: number; quality: number };
	lines: LineView[];
}
