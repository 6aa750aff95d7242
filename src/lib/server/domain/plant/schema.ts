import { z } from 'zod';
import { MACHINE_STATES } from '$lib/shared/plant-view';

/** A single UNS path segment: lower-case letters, digits, `_` and `-`; no MQTT wildcards or separators. */
const segment = z
	.string()
	.regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lower-case letters, digits, "_" or "-" (a UNS path segment)');

const localText = z.object({ en: z.string().min(1), nl: z.string().min(1) }).strict();

const tagSchema = z
	.object({
		id: segment,
		kind: z.enum(['state', 'reason', 'speed', 'counter', 'process']),
		label: localText,
		unit: z.string().min(1).optional(),
		range: z
			.tuple([z.number(), z.number()])
			.refine(([lo, hi]) => lo < hi, 'range must be [low, high] with low < high')
			.optional(),
		decimals: z.number().int().min(0).max(6).optional(),
		/** Override of the OPC UA node identifier for this tag (string identifier in the line's namespace). */
		nodeId: z.string().min(1).optional()
	})
	.strict();

const machineTypeSchema = z
	.object({
		label: localText,
		tags: z.array(tagSchema).min(1)
	})
	.strict()
	.superRefine((type, ctx) => {
		const seen = new Set<string>();
		for (const [i, tag] of type.tags.entries()) {
			if (seen.has(tag.id)) ctx.addIssue({ code: 'custom', path: ['tags', i, 'id'], message: `duplicate tag id "${tag.id}"` });
			seen.add(tag.id);
		}
		if (!seen.has('state')) ctx.addIssue({ code: 'custom', path: ['tags'], message: 'every machine type needs a "state" tag' });
	});

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
		machines: z
			.array(z.object({ id: segment, type: segment, label: localText.optional() }).strict())
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
		const codes = new Set<number>();
		for (const [ri, reason] of plant.reasons.entries()) {
			if (codes.has(reason.code)) ctx.addIssue({ code: 'custom', path: ['reasons', ri, 'code'], message: `duplicate reason code ${reason.code}` });
			codes.add(reason.code);
		}
	});

export type PlantModel = z.infer<typeof plantModelSchema>;
export type PlantLine = PlantModel['lines'][number];
export type PlantTag = z.infer<typeof tagSchema>;

/** Machine states a `state` tag may hold; anything else from a source is shown as unknown. */
export const machineStates = new Set<string>(MACHINE_STATES);
