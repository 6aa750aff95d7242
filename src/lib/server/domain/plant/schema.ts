import { IANAZone } from 'luxon';
import { z } from 'zod';
import { MACHINE_STATES } from '$lib/shared/plant-view';
import { PATH_SEGMENT, PATH_SEGMENT_RULE } from '$lib/shared/uns-path';
import { DEFAULT_LANG, LANGS, type LocalText } from '$lib/shared/languages';

/** A single UNS path segment (the path rules' PATH_SEGMENT): no MQTT wildcards, separators or `_`-namespaces. */
const segment = z.string().regex(PATH_SEGMENT, PATH_SEGMENT_RULE);

/**
 * A plant text (a label, an alarm message) as a map by language code: English always, any other supported
 * language where the plant has a translation — a reader in a language the text lacks sees the English.
 * A code that is not a supported language is refused (a typo, or a language no locale file backs).
 * @param languages the supported language codes (tests pass a longer list)
 */
export function localTextSchema(languages: readonly string[] = LANGS) {
	return z
		.record(z.string(), z.string().min(1))
		.superRefine((text, ctx) => {
			if (!(DEFAULT_LANG in text)) ctx.addIssue({ code: 'custom', path: [DEFAULT_LANG], message: `every text needs "${DEFAULT_LANG}"` });
			for (const code of Object.keys(text))
				if (!languages.includes(code)) ctx.addIssue({ code: 'custom', path: [code], message: `"${code}" is not a supported language (${languages.join(', ')})` });
		})
		.transform((text) => text as LocalText);
}

const localText = localTextSchema();

const priority = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
const machineState = z.enum(MACHINE_STATES);

/**
 * A limit alarm on an analog tag (ISA-18.2). It activates when the value is at or beyond `limit` for
 * `onDelayS`, and clears when it is back inside `limit ∓ deadband` for `offDelayS`.
 */
const limitAlarmSchema = z
	.object({
		level: z.enum(['hh', 'h', 'l', 'll']),
		limit: z.number(),
		priority,
		deadband: z.number().min(0).optional(),
		onDelayS: z.number().min(0).max(3600).optional(),
		offDelayS: z.number().min(0).max(3600).optional(),
		latching: z.boolean().default(false),
		message: localText.optional(),
		/** Machine states in which this alarm is suppressed by design; defaults to the plant's setting. */
		suppressIn: z.array(machineState).optional()
	})
	.strict();

/** A discrete alarm: active while `tag` holds one of `equals` (a state, a reason code). */
const discreteAlarmSchema = z
	.object({
		id: segment,
		tag: segment,
		equals: z.array(z.union([z.string(), z.number()])).min(1),
		priority,
		onDelayS: z.number().min(0).max(3600).optional(),
		offDelayS: z.number().min(0).max(3600).optional(),
		latching: z.boolean().default(false),
		message: localText,
		/** A tag whose value is kept with each activation (the reason code of a fault). */
		detailTag: segment.optional(),
		suppressIn: z.array(machineState).optional()
	})
	.strict();

const alarmSettingsSchema = z
	.object({
		/** Longest a timed shelve may last. */
		maxShelveMinutes: z.number().int().min(1).max(7 * 24 * 60).default(480),
		journalRetentionDays: z.number().int().min(1).max(3650).default(365),
		/** Chattering: `count` activations within `windowS`. */
		chatter: z.object({ count: z.number().int().min(2), windowS: z.number().positive() }).strict().default({ count: 3, windowS: 60 }),
		/** Flood: more than `count` new alarms within `windowS`; over once fewer than `endBelow` remain in the window. */
		flood: z
			.object({ count: z.number().int().min(1), windowS: z.number().positive(), endBelow: z.number().int().min(1) })
			.strict()
			.default({ count: 10, windowS: 600, endBelow: 5 }),
		/** One alarm per data source when it is not connected for `onDelayS`. */
		commsLost: z.object({ priority, onDelayS: z.number().min(0).default(10) }).strict().default({ priority: 2, onDelayS: 10 }),
		/** Machine states in which limit (process) alarms are suppressed unless an alarm says otherwise. */
		suppressProcessAlarmsIn: z.array(machineState).default(['planned_stop', 'changeover']),
		/** Defaults for limit alarms that give none. */
		defaultOnDelayS: z.number().min(0).default(5),
		defaultOffDelayS: z.number().min(0).default(5)
	})
	.strict();

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM');

const shiftSchema = z
	.object({
		id: segment,
		label: localText,
		start: clockTime,
		end: clockTime,
		breaks: z.array(z.object({ start: clockTime, end: clockTime }).strict()).default([])
	})
	.strict();

const DEFAULT_SHIFTS = [
	{ id: 'early', label: { en: 'Early', nl: 'Vroeg' }, start: '06:00', end: '14:00', breaks: [{ start: '09:30', end: '09:45' }, { start: '11:45', end: '12:15' }] },
	{ id: 'late', label: { en: 'Late', nl: 'Laat' }, start: '14:00', end: '22:00', breaks: [{ start: '17:30', end: '17:45' }, { start: '19:45', end: '20:15' }] },
	{ id: 'night', label: { en: 'Night', nl: 'Nacht' }, start: '22:00', end: '06:00', breaks: [{ start: '01:30', end: '01:45' }, { start: '03:45', end: '04:15' }] }
];

const fraction = z.number().min(0).max(1);

/** How OEE is counted (ISO 22400-2 / Vorne). */
const oeeSettingsSchema = z
	.object({
		/** The plant's time zone: shifts are local times, across daylight-saving changes. */
		timezone: z.string().refine((tz) => IANAZone.isValidZone(tz), 'must be an IANA time zone such as Europe/Amsterdam').default('Europe/Amsterdam'),
		shifts: z.array(shiftSchema).min(1).default(DEFAULT_SHIFTS),
		/** A changeover as availability loss (common OEE practice) or as planned downtime (ISO 22400-2 planned busy time). */
		changeoverAs: z.enum(['availability_loss', 'planned_downtime']).default('availability_loss'),
		/** Unplanned stops shorter than this are small stops: a performance loss, not an availability loss. */
		smallStopS: z.number().min(0).max(3600).default(120),
		/** Rejects within this time after a restart count as start-up rejects. */
		startupMinutes: z.number().min(0).max(240).default(5),
		/** Machine states that count as running. */
		runningStates: z.array(machineState).min(1).default(['running']),
		/** Reference lines on the KPI dashboard (fractions); the defaults are the usual world-class figures. */
		targets: z
			.object({ oee: fraction, availability: fraction, performance: fraction, quality: fraction })
			.strict()
			.default({ oee: 0.85, availability: 0.9, performance: 0.95, quality: 0.999 })
	})
	.strict();

const historianSettingsSchema = z
	.object({
		/** Which tags are recorded (MQTT-style patterns); default: the enterprise's whole tree. */
		patterns: z.array(z.string().min(1)).min(1).optional(),
		retentionDays: z.number().int().min(1).max(3650).default(90)
	})
	.strict();

const tagSchema = z
	.object({
		id: segment,
		kind: z.enum(['state', 'reason', 'speed', 'counter', 'process', 'order']),
		label: localText,
		unit: z.string().min(1).optional(),
		range: z
			.tuple([z.number(), z.number()])
			.refine(([lo, hi]) => lo < hi, 'range must be [low, high] with low < high')
			.optional(),
		decimals: z.number().int().min(0).max(6).optional(),
		/** Override of the OPC UA node identifier for this tag (string identifier in the line's namespace). */
		nodeId: z.string().min(1).optional(),
		alarms: z.array(limitAlarmSchema).optional(),
		/** The historian records a change only when it exceeds this (in the tag's unit); 0 records every change. */
		historianDeadband: z.number().min(0).optional()
	})
	.strict()
	.superRefine((tag, ctx) => {
		const levels = new Set<string>();
		for (const [i, alarm] of (tag.alarms ?? []).entries()) {
			if (levels.has(alarm.level)) ctx.addIssue({ code: 'custom', path: ['alarms', i, 'level'], message: `duplicate alarm level "${alarm.level}"` });
			levels.add(alarm.level);
		}
		const limit = (level: string) => tag.alarms?.find((a) => a.level === level)?.limit;
		const order = ['ll', 'l', 'h', 'hh'].map(limit).filter((v): v is number => v !== undefined);
		if (order.some((v, i) => i > 0 && v <= order[i - 1]))
			ctx.addIssue({ code: 'custom', path: ['alarms'], message: 'alarm limits must rise from ll over l and h to hh' });
	});

const machineTypeSchema = z
	.object({
		label: localText,
		tags: z.array(tagSchema).min(1),
		alarms: z.array(discreteAlarmSchema).default([]),
		/** The rate the machine is designed for, units per minute (ideal cycle time = 60 / rate seconds). */
		idealRatePerMin: z.number().positive()
	})
	.strict()
	.superRefine((type, ctx) => {
		const tagIds = new Set(type.tags.map((t) => t.id));
		for (const [i, alarm] of type.alarms.entries()) {
			for (const [key, tag] of [['tag', alarm.tag], ['detailTag', alarm.detailTag]] as const)
				if (tag !== undefined && !tagIds.has(tag)) ctx.addIssue({ code: 'custom', path: ['alarms', i, key], message: `no tag "${tag}" in this machine type` });
		}
		const seen = new Set<string>();
		for (const [i, tag] of type.tags.entries()) {
			if (seen.has(tag.id)) ctx.addIssue({ code: 'custom', path: ['tags', i, 'id'], message: `duplicate tag id "${tag.id}"` });
			seen.add(tag.id);
		}
		if (!seen.has('state')) ctx.addIssue({ code: 'custom', path: ['tags'], message: 'every machine type needs a "state" tag' });
	});

/**
 * The string identifier of an OPC UA node in its line's namespace: a PLC symbol such as `"DB_Filler"."SpeedTarget"`.
 * Not a whole NodeId (`ns=3;s=…`): a namespace index may change when the server restarts, so the namespace is the
 * line's `namespaceUri`, looked up on every connect. A write to the wrong node is worse than none.
 */
const nodeIdentifier = z
	.string()
	.min(1)
	.max(4096)
	// eslint-disable-next-line no-control-regex -- control characters are what this looks for
	.refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters')
	.refine(
		(s) => !/^(ns|nsu)=|^[isgb]=/.test(s),
		'must be the node\'s string identifier only (e.g. "DB_Filler"."SpeedTarget"): the namespace is the line\'s namespaceUri'
	);

/** The node a tag of an OPC UA line is read from when the model names none: `<nodeIdPrefix><machine>/<tag>`. */
export function defaultNodeIdentifier(linePath: string, source: { nodeIdPrefix?: string }, machineId: string, tagId: string): string {
	return `${source.nodeIdPrefix ?? `${linePath}/`}${machineId}/${tagId}`;
}

/**
 * A value an operator may change from the HMI (a speed target, a temperature setpoint). `path` is the
 * UNS path of the setpoint tag, directly under its machine: the source reports the value in force
 * there, and a write goes to that node (OPC UA) or to `cmd/<path minus tag>/setpoint/<tag>` (MQTT).
 */
const setpointSchema = z
	.object({
		id: segment,
		path: z.string().min(1),
		label: localText,
		unit: z.string().min(1).optional(),
		min: z.number(),
		max: z.number(),
		/** Values must be min + k × step; also the −/+ increment. */
		step: z.number().positive().optional(),
		decimals: z.number().int().min(0).max(6).optional(),
		/** OPC UA lines: the setpoint's own node (its tag is read from it and writes go to it); default `<nodeIdPrefix><machine>/<id>`. */
		nodeId: nodeIdentifier.optional()
	})
	.strict()
	.refine((s) => s.min < s.max, { message: 'min must be below max', path: ['max'] });

const opcuaSource = z
	.object({
		kind: z.literal('opcua'),
		endpoint: z.string().regex(/^opc\.tcp:\/\//, 'must start with opc.tcp://'),
		namespaceUri: z.string().min(1),
		/** Node identifiers are `<nodeIdPrefix><machine>/<tag>`; defaults to the line's UNS path plus "/". */
		nodeIdPrefix: z.string().optional()
	})
	.strict();

const mqttSource = z.object({ kind: z.literal('mqtt') }).strict();

const lineSchema = z
	.object({
		id: segment,
		label: localText,
		source: z.discriminatedUnion('kind', [opcuaSource, mqttSource]),
		/** The machine whose states and counts make the line's OEE (its bottleneck). */
		constraint: segment,
		/** The line's controller reports its work order as `<line>/order/{number,product,target,good,started_ms}`. */
		workOrders: z.boolean().default(false),
		machines: z
			.array(z.object({ id: segment, type: segment, label: localText.optional(), setpoints: z.array(setpointSchema).optional() }).strict())
			.min(1)
	})
	.strict();

export const plantModelSchema = z
	.object({
		$comment: z.string().optional(),
		enterprise: segment,
		site: segment,
		area: segment,
		label: localText,
		staleAfterS: z.number().positive().max(3600).default(30),
		alarmSettings: alarmSettingsSchema.default(alarmSettingsSchema.parse({})),
		oee: oeeSettingsSchema.default(oeeSettingsSchema.parse({})),
		historian: historianSettingsSchema.default(historianSettingsSchema.parse({})),
		reasons: z.array(
			z
				.object({
					code: z.number().int().min(0),
					kind: z.enum(['none', 'starved', 'blocked', 'idle', 'fault', 'planned', 'changeover']),
					label: localText
				})
				.strict()
		),
		machineTypes: z.record(segment, machineTypeSchema),
		lines: z.array(lineSchema).min(1)
	})
	.strict()
	.superRefine((plant, ctx) => {
		const lineIds = new Set<string>();
		for (const [li, line] of plant.lines.entries()) {
			if (lineIds.has(line.id)) ctx.addIssue({ code: 'custom', path: ['lines', li, 'id'], message: `duplicate line id "${line.id}"` });
			lineIds.add(line.id);
			const machineIds = new Set<string>();
			for (const [mi, machine] of line.machines.entries()) {
				if (machineIds.has(machine.id))
					ctx.addIssue({ code: 'custom', path: ['lines', li, 'machines', mi, 'id'], message: `duplicate machine id "${machine.id}"` });
				machineIds.add(machine.id);
				if (!plant.machineTypes[machine.type])
					ctx.addIssue({
						code: 'custom',
						path: ['lines', li, 'machines', mi, 'type'],
						message: `unknown machine type "${machine.type}" (known: ${Object.keys(plant.machineTypes).join(', ')})`
					});
			}
		}
		for (const [li, line] of plant.lines.entries()) {
			const linePath = `${plant.enterprise}/${plant.site}/${plant.area}/${line.id}`;
			// OPC UA: every tag of the line and the tag path it feeds, so a setpoint's own node cannot be another's.
			const nodes = new Map<string, string>();
			if (line.source.kind === 'opcua') {
				for (const machine of line.machines)
					for (const tag of plant.machineTypes[machine.type]?.tags ?? [])
						nodes.set(tag.nodeId ?? defaultNodeIdentifier(linePath, line.source, machine.id, tag.id), `${linePath}/${machine.id}/${tag.id}`);
			}
			for (const [mi, machine] of line.machines.entries()) {
				const machinePath = `${linePath}/${machine.id}/`;
				const ids = new Set<string>();
				for (const [si, setpoint] of (machine.setpoints ?? []).entries()) {
					const at = ['lines', li, 'machines', mi, 'setpoints', si];
					if (ids.has(setpoint.id)) ctx.addIssue({ code: 'custom', path: [...at, 'id'], message: `duplicate setpoint id "${setpoint.id}"` });
					ids.add(setpoint.id);
					const rest = setpoint.path.startsWith(machinePath) ? setpoint.path.slice(machinePath.length) : null;
					if (rest === null || !PATH_SEGMENT.test(rest))
						ctx.addIssue({ code: 'custom', path: [...at, 'path'], message: `must be a tag directly under ${machinePath}` });
					if (line.source.kind !== 'opcua') {
						if (setpoint.nodeId !== undefined)
							ctx.addIssue({ code: 'custom', path: [...at, 'nodeId'], message: 'only a setpoint of an OPC UA line has a node id' });
						continue;
					}
					const node = setpoint.nodeId ?? defaultNodeIdentifier(linePath, line.source, machine.id, rest ?? setpoint.id);
					const owner = nodes.get(node);
					if (owner !== undefined && owner !== setpoint.path)
						ctx.addIssue({ code: 'custom', path: [...at, 'nodeId'], message: `node "${node}" is already the node of ${owner}` });
					else nodes.set(node, setpoint.path);
				}
			}
			if (!line.machines.some((m) => m.id === line.constraint))
				ctx.addIssue({ code: 'custom', path: ['lines', li, 'constraint'], message: `constraint "${line.constraint}" is not a machine of ${line.id}` });
		}
		const codes = new Set<number>();
		for (const [ri, reason] of plant.reasons.entries()) {
			if (codes.has(reason.code)) ctx.addIssue({ code: 'custom', path: ['reasons', ri, 'code'], message: `duplicate reason code ${reason.code}` });
			codes.add(reason.code);
		}
	});

export type PlantModel = z.infer<typeof plantModelSchema>;
export type PlantLine = PlantModel['lines'][number];
export type PlantTag = z.infer<typeof tagSchema>;
export type SetpointConfig = z.infer<typeof setpointSchema>;
export type LimitAlarmConfig = z.infer<typeof limitAlarmSchema>;
export type DiscreteAlarmConfig = z.infer<typeof discreteAlarmSchema>;
export type AlarmSettings = z.infer<typeof alarmSettingsSchema>;
export type AlarmPriority = z.infer<typeof priority>;
export type OeeSettings = z.infer<typeof oeeSettingsSchema>;
export type ShiftConfig = z.infer<typeof shiftSchema>;

/** Machine states a `state` tag may hold; anything else from a source is shown as unknown. */
export const machineStates = new Set<string>(MACHINE_STATES);
