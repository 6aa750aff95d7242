import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Plant models for tests and benchmarks that need topics of their own: the shipped model plus MQTT lines
 * of generic machines. The tag store takes only what a plant model declares, so a load or fuzz topic
 * must be declared like any plant tag.
 */

/** The shipped plant model as plain JSON. */
export function shippedPlantJson(): Record<string, unknown> {
	return JSON.parse(fs.readFileSync(path.resolve('config/plant.json'), 'utf8')) as Record<string, unknown>;
}

export interface SyntheticLine {
	id: string;
	/** Machine ids, e.g. ['m0', 'm1']. */
	machines: string[];
	/** Tag ids every machine of the line has (besides its required `state`). */
	tags: string[];
}

/** Machine type id of the synthetic machines. */
const PROBE_TYPE = 'probe';

/**
 * The shipped model with more MQTT lines of probe machines (a `state` tag and the given process tags),
 * under `<enterprise>/<site>/<area>/<line>/<machine>/<tag>`.
 * @param site another site name, so parallel runs on one shared broker keep apart
 */
export function plantWithLines(lines: SyntheticLine[], site?: string): Record<string, unknown> {
	let model = shippedPlantJson() as { enterprise: string; site: string; machineTypes: Record<string, unknown>; lines: unknown[] };
	// Setpoints name their full paths: they move with the site.
	if (site) model = JSON.parse(JSON.stringify({ ...model, site }).replaceAll(`"${model.enterprise}/${model.site}/`, `"${model.enterprise}/${site}/`));
	const tagIds = [...new Set(lines.flatMap((l) => l.tags))];
	model.machineTypes[PROBE_TYPE] = {
		label: { en: 'Probe', nl: 'Meetpunt' },
		idealRatePerMin: 60,
		tags: [
			{ id: 'state', kind: 'state', label: { en: 'State', nl: 'Toestand' } },
			...tagIds.map((id) => ({ id, kind: 'process', label: { en: id, nl: id } }))
		]
	};
	for (const line of lines) {
		model.lines.push({
			id: line.id,
			label: { en: line.id, nl: line.id },
			source: { kind: 'mqtt' },
			constraint: line.machines[0],
			machines: line.machines.map((id) => ({ id, type: PROBE_TYPE }))
		});
	}
	return model;
}

/** Writes a plant model to a new temporary file and returns its path (for PLANT_MODEL). */
export function writePlantModel(model: Record<string, unknown>): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hmi-plant-'));
	const file = path.join(dir, 'plant.json');
	fs.writeFileSync(file, JSON.stringify(model));
	return file;
}

/** `count` ids with a prefix: `ids('m', 3)` → ['m0', 'm1', 'm2']. */
export const ids = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i}`);
