import type { LineView, PlantView, SetpointView, TagView } from '$lib/shared/plant-view';
import { defaultNodeIdentifier, type PlantLine, type PlantModel, type PlantTag, type SetpointConfig } from './schema';

/** One tag of the plant model with everything a connector needs to feed it. */
export interface PlantTagRef {
	path: string;
	lineId: string;
	machineId: string;
	tag: PlantTag;
	sourceId: string;
	/** For OPC UA lines: the string identifier of the node in the line's namespace. */
	nodeIdentifier?: string;
}

export function linePath(plant: PlantModel, line: PlantLine): string {
	return `${plant.enterprise}/${plant.site}/${plant.area}/${line.id}`;
}

/** The data source a line is fed by: one OPC UA connection per OPC UA line, one MQTT connection for all. */
export function sourceIdOf(line: PlantLine): string {
	return line.source.kind === 'mqtt' ? 'mqtt' : `opcua-${line.id}`;
}

/** Work order tags of a line that has `workOrders`: they live under `<line>/order/`. */
export const ORDER_TAG_IDS = ['number', 'product', 'target', 'good', 'started_ms'] as const;
export type OrderTagId = (typeof ORDER_TAG_IDS)[number];
const ORDER_LABELS: Record<OrderTagId, PlantTag['label']> = {
	number: { en: 'Order', nl: 'Order' },
	product: { en: 'Product', nl: 'Product' },
	target: { en: 'Target', nl: 'Doel' },
	good: { en: 'Good', nl: 'Goed' },
	started_ms: { en: 'Started', nl: 'Gestart' }
};
export const ORDER_TAGS: PlantTag[] = ORDER_TAG_IDS.map((id) => ({ id, kind: 'order', label: ORDER_LABELS[id] }));
export const ORDER_SEGMENT = 'order';

/** Every tag the plant model declares, with its path and source. */
export function plantTags(plant: PlantModel): PlantTagRef[] {
	const refs: PlantTagRef[] = [];
	for (const line of plant.lines) {
		const base = linePath(plant, line);
		if (line.workOrders) {
			for (const tag of ORDER_TAGS) {
				const ref: PlantTagRef = { path: `${base}/${ORDER_SEGMENT}/${tag.id}`, lineId: line.id, machineId: ORDER_SEGMENT, tag, sourceId: sourceIdOf(line) };
				if (line.source.kind === 'opcua') ref.nodeIdentifier = `${line.source.nodeIdPrefix ?? `${base}/`}${ORDER_SEGMENT}/${tag.id}`;
				refs.push(ref);
			}
		}
		for (const machine of line.machines) {
			const setpointTags = (machine.setpoints ?? []).map(setpointTag);
			for (const tag of [...plant.machineTypes[machine.type].tags, ...setpointTags]) {
				const path = `${base}/${machine.id}/${tag.id}`;
				const ref: PlantTagRef = { path, lineId: line.id, machineId: machine.id, tag, sourceId: sourceIdOf(line) };
				if (line.source.kind === 'opcua') ref.nodeIdentifier = tag.nodeId ?? defaultNodeIdentifier(base, line.source, machine.id, tag.id);
				refs.push(ref);
			}
		}
	}
	return refs;
}

/** A setpoint as the browser sees it (the model's fields; nothing secret in them). */
function toSetpointView(s: SetpointConfig): SetpointView {
	return {
		id: s.id,
		path: s.path,
		label: s.label,
		min: s.min,
		max: s.max,
		...(s.unit !== undefined && { unit: s.unit }),
		...(s.step !== undefined && { step: s.step }),
		...(s.decimals !== undefined && { decimals: s.decimals })
	};
}

/** A setpoint's tag: fed by the line's source like any other tag, its normal range the writable range. */
export function setpointTag(s: SetpointConfig): PlantTag {
	return {
		id: s.path.slice(s.path.lastIndexOf('/') + 1),
		kind: 'process',
		label: s.label,
		range: [s.min, s.max],
		...(s.unit !== undefined && { unit: s.unit }),
		...(s.decimals !== undefined && { decimals: s.decimals }),
		...(s.nodeId !== undefined && { nodeId: s.nodeId })
	};
}

/** A tag's limit alarms as level → limit, so screens can draw where the alarms start. */
function alarmLimits(tag: PlantTag): TagView['limits'] {
	return Object.fromEntries((tag.alarms ?? []).map((a) => [a.level, a.limit]));
}

/** The plant as the browser may see it: paths worked out, endpoints and namespaces left out. */
export function toPlantView(plant: PlantModel): PlantView {
	const lines: LineView[] = plant.lines.map((line) => {
		const base = linePath(plant, line);
		return {
			id: line.id,
			path: base,
			label: line.label,
			source: line.source.kind,
			sourceId: sourceIdOf(line),
			constraint: line.constraint,
			machines: line.machines.map((machine) => {
				const type = plant.machineTypes[machine.type];
				const path = `${base}/${machine.id}`;
				return {
					id: machine.id,
					type: machine.type,
					path,
					label: machine.label ?? type.label,
					idealRatePerMin: type.idealRatePerMin,
					tags: type.tags.map((tag) => ({
						id: tag.id,
						path: `${path}/${tag.id}`,
						kind: tag.kind,
						label: tag.label,
						...(tag.unit !== undefined && { unit: tag.unit }),
						...(tag.range !== undefined && { range: tag.range }),
						...(tag.alarms?.length && { limits: alarmLimits(tag) }),
						...(tag.decimals !== undefined && { decimals: tag.decimals })
					})),
					...(machine.setpoints?.length && { setpoints: machine.setpoints.map(toSetpointView) })
				};
			})
		};
	});
	return {
		enterprise: plant.enterprise,
		site: plant.site,
		area: plant.area,
		label: plant.label,
		staleAfterS: plant.staleAfterS,
		reasons: plant.reasons,
		shifts: plant.oee.shifts.map(({ id, label, start, end }) => ({ id, label, start, end })),
		timezone: plant.oee.timezone,
		maxShelveMinutes: plant.alarmSettings.maxShelveMinutes,
		oeeTargets: plant.oee.targets,
		lines
	};
}
