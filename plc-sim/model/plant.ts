/**
 * The simulated plant's naming: lines, machines, tags and reason codes. These names are the
 * contract with the HMI's plant model (config/plant.json); a test keeps the two in step.
 */

export const ENTERPRISE = 'acme';
export const SITE = 'utrecht';
export const AREA = 'packaging';
/** UNS path of the area, the prefix of every tag path and MQTT topic. */
export const AREA_PATH = `${ENTERPRISE}/${SITE}/${AREA}`;

export const LINE_IDS = ['line1', 'line2'] as const;
export type LineId = (typeof LINE_IDS)[number];

/** Machines of a line in the order product flows through them. */
export const MACHINE_IDS = ['filler', 'capper', 'labeler'] as const;
export type MachineId = (typeof MACHINE_IDS)[number];

export const MACHINE_STATES = [
	'running',
	'idle',
	'starved',
	'blocked',
	'fault',
	'planned_stop',
	'changeover'
] as const;
export type MachineStateName = (typeof MACHINE_STATES)[number];

/** Reason codes as listed in config/plant.json. */
export const REASON = {
	none: 0,
	starved: 101,
	blocked: 102,
	noOrder: 103,
	bottleJam: 201,
	motorOverload: 202,
	sensorFault: 203,
	emergencyStop: 204,
	materialOut: 205,
	break: 301,
	cleaning: 302,
	maintenance: 303,
	changeover: 401
} as const;

/** Fault reasons are the 2xx family; injected faults must use one of them. */
export function isFaultReason(code: number): boolean {
	return Number.isInteger(code) && code >= 200 && code <= 299;
}

export type TagType = 'String' | 'UInt32' | 'Double';
export type TagKind = 'state' | 'reason' | 'speed' | 'counter' | 'process' | 'order';

export interface TagDef {
	id: string;
	kind: TagKind;
	/** OPC UA data type; MQTT carries the same value as a JSON string or number. */
	type: TagType;
	/** Normal range [lo, hi] (process values) or full scale (speed); sets the publishing deadband. */
	range?: readonly [number, number];
	unit?: string;
}

export const PROCESS_TAG_IDS = {
	filler: ['product_temperature', 'co2_pressure', 'fill_flow', 'tank_level'],
	capper: ['torque'],
	labeler: ['glue_temperature']
} as const satisfies Record<MachineId, readonly string[]>;
export type ProcessTagId = (typeof PROCESS_TAG_IDS)[MachineId][number];

const COMMON_TAGS: readonly TagDef[] = [
	{ id: 'state', kind: 'state', type: 'String' },
	{ id: 'reason_code', kind: 'reason', type: 'UInt32' },
	{ id: 'speed', kind: 'speed', type: 'Double', range: [0, 620], unit: '/min' },
	{ id: 'count_total', kind: 'counter', type: 'UInt32' },
	{ id: 'count_good', kind: 'counter', type: 'UInt32' },
	{ id: 'count_reject', kind: 'counter', type: 'UInt32' }
];

const PROCESS_TAGS: Record<ProcessTagId, TagDef> = {
	product_temperature: { id: 'product_temperature', kind: 'process', type: 'Double', range: [4, 10], unit: '°C' },
	co2_pressure: { id: 'co2_pressure', kind: 'process', type: 'Double', range: [2.5, 4.0], unit: 'bar' },
	fill_flow: { id: 'fill_flow', kind: 'process', type: 'Double', range: [90, 140], unit: 'l/min' },
	tank_level: { id: 'tank_level', kind: 'process', type: 'Double', range: [20, 90], unit: '%' },
	torque: { id: 'torque', kind: 'process', type: 'Double', range: [1.2, 2.2], unit: 'N·m' },
	glue_temperature: { id: 'glue_temperature', kind: 'process', type: 'Double', range: [150, 175], unit: '°C' }
};

/** Every tag of a machine, in a stable order. */
export function machineTags(machine: MachineId): readonly TagDef[] {
	return [...COMMON_TAGS, ...PROCESS_TAG_IDS[machine].map((id) => PROCESS_TAGS[id])];
}

/** True when `tag` is a process value of `machine` (the tags that can be forced). */
export function isProcessTag(machine: MachineId, tag: string): tag is ProcessTagId {
	return (PROCESS_TAG_IDS[machine] as readonly string[]).includes(tag);
}

/** Name of a line's work-order node, a sibling of its machines: `acme/utrecht/packaging/<line>/order`. */
export const ORDER = 'order';

export const ORDER_TAG_IDS = ['number', 'product', 'target', 'good', 'started_ms'] as const;
export type OrderTagId = (typeof ORDER_TAG_IDS)[number];

/** Tags of a line's current work order. `started_ms` is a Double: epoch ms do not fit a UInt32. */
export const ORDER_TAGS: readonly TagDef[] = [
	{ id: 'number', kind: 'order', type: 'String' },
	{ id: 'product', kind: 'order', type: 'String' },
	{ id: 'target', kind: 'order', type: 'UInt32' },
	{ id: 'good', kind: 'order', type: 'UInt32' },
	{ id: 'started_ms', kind: 'order', type: 'Double', unit: 'ms' }
];

export function isLineId(id: string): id is LineId {
	return (LINE_IDS as readonly string[]).includes(id);
}

export function isMachineId(id: string): id is MachineId {
	return (MACHINE_IDS as readonly string[]).includes(id);
}

export function linePath(line: LineId): string {
	return `${AREA_PATH}/${line}`;
}

export function machinePath(line: LineId, machine: MachineId): string {
	return `${AREA_PATH}/${line}/${machine}`;
}

/** UNS path of a tag, e.g. `acme/utrecht/packaging/line1/filler/speed`. */
export function tagPath(line: LineId, machine: MachineId, tag: string): string {
	return `${AREA_PATH}/${line}/${machine}/${tag}`;
}

/** UNS path of a line's work order, e.g. `acme/utrecht/packaging/line1/order`. */
export function orderPath(line: LineId): string {
	return `${AREA_PATH}/${line}/${ORDER}`;
}

/** UNS path of a work-order tag, e.g. `acme/utrecht/packaging/line1/order/number`. */
export function orderTagPath(line: LineId, tag: OrderTagId): string {
	return `${orderPath(line)}/${tag}`;
}
