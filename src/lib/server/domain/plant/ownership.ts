import { ALARM_SEGMENT, derivedNamespace, KPI_SEGMENT, SYSTEM_ROOT, type DerivedNamespace } from '$lib/shared/uns-path';
import type { WritePolicy, WriteRefusal } from '../tags/write-policy';
import type { PlantModel } from './schema';
import { plantTags } from './view';

/** The engines and the origins they write their derived tags with. */
export const ENGINE_ORIGINS = {
	alarms: 'alarms',
	oee: 'oee',
	/** Source states and other facts about the HMI itself. */
	system: 'system'
} as const;

/** Which engines may write each derived namespace. */
const DERIVED_WRITERS: Record<DerivedNamespace, ReadonlySet<string>> = {
	[ALARM_SEGMENT]: new Set([ENGINE_ORIGINS.alarms]),
	[KPI_SEGMENT]: new Set([ENGINE_ORIGINS.oee]),
	[SYSTEM_ROOT]: new Set([ENGINE_ORIGINS.system, ENGINE_ORIGINS.alarms])
};

/**
 * Namespace ownership by the plant model: a declared tag is written only by the source of its line
 * (its MQTT, OPC UA or Sparkplug connector); a derived namespace only by its engine; a path the model
 * does not declare by nobody (such topics feed the UNS browser's tree, never the tag store).
 */
export class PlantOwnership implements WritePolicy {
	readonly #owners = new Map<string, string>();

	constructor(plant: PlantModel) {
		for (const ref of plantTags(plant)) this.#owners.set(ref.path, ref.sourceId);
	}

	/** The source that owns a declared path, or undefined. */
	ownerOf(path: string): string | undefined {
		return this.#owners.get(path);
	}

	check(path: string, origin: string): WriteRefusal | null {
		const derived = derivedNamespace(path);
		if (derived !== null) return DERIVED_WRITERS[derived].has(origin) ? null : 'derived-namespace';
		const owner = this.#owners.get(path);
		if (owner === undefined) return 'undeclared';
		return owner === origin ? null : 'not-owner';
	}
}
