import { Quality } from '$lib/shared/protocol';
import { checkPath, fitsTree, SPARKPLUG_PREFIX } from '$lib/shared/uns-path';
import type { TagRecord } from '../tags/tag-store';
import type { WritePolicy } from '../tags/write-policy';
import type { UnsTree } from './uns-tree';

/** The origin the browse subscription's messages have: the MQTT source's. */
const MQTT_ORIGIN = 'mqtt';

/** What the UNS ingest needs from a Sparkplug B host (domain/sparkplug/host.ts provides it). */
export interface SparkplugDecoder {
	handle(
		topic: string,
		payload: Uint8Array,
		now: number
	): {
		ok: boolean;
		/** The message type, e.g. `NBIRTH` (on success). */
		kind?: string;
		updates: { path: string; value: unknown; ts: number; stale: boolean }[];
		status?: SparkplugStatus;
	};
	/** The host's broker connection dropped: every node offline (no death can reach it then); returns the metrics made stale. */
	connectionLost(): { path: string; stale: boolean }[];
	nodes(): SparkplugStatus[];
}

interface SparkplugStatus {
	node: string;
	online: boolean;
	lastSeq: number | null;
	seqGaps: number;
	rebirthNeeded: boolean;
}

export interface IngestStats {
	messages: number;
	sparkplugMessages: number;
	sparkplugFailures: number;
	/** Messages dropped because their topic (or a metric's path) was too long, too deep or malformed. */
	droppedTopics: number;
	/**
	 * Messages on a path MQTT does not own (an alarm, a KPI, a system tag, an OPC UA line's tag): the tree
	 * shows that path's real value from the tag store, never a publisher's claim of it.
	 */
	notOwned: number;
}

/**
 * Feeds the UNS tree from the two ways values arrive:
 * - raw MQTT messages of the browse subscription (every topic, raw payload, retain flag), with
 *   `spBv1.0/…` decoded by the Sparkplug host into one node per metric, named by the metric's name;
 * - the tag store, for values that do not come over MQTT (OPC UA lines, `_kpi`, `_sys`, alarms).
 * Tag-store values from MQTT are skipped: the browse subscription already saw them, with their raw payload.
 */
export class UnsIngest {
	readonly stats: IngestStats = { messages: 0, sparkplugMessages: 0, sparkplugFailures: 0, droppedTopics: 0, notOwned: 0 };
	/** Tag id → source timestamp of the last value recorded (bounded by the tag store's size). */
	readonly #sourceTs = new Map<number, number>();

	constructor(
		private readonly tree: UnsTree,
		private readonly sparkplug: SparkplugDecoder | null,
		/** Who may write which path (the plant model's ownership); without one every topic is shown. */
		private readonly ownership?: WritePolicy,
		/** Origins the browse subscription already covers. */
		private readonly mqttOrigins: ReadonlySet<string> = new Set(['mqtt'])
	) {}

	/** One message from the browse subscription. Never throws. */
	mqttMessage(topic: string, payload: Uint8Array, retained: boolean, now: number): void {
		this.stats.messages++;
		if (!this.#admit(topic)) return;
		if (!this.#ownedByMqtt(topic)) {
			this.stats.notOwned++;
			return;
		}
		if (topic.startsWith(SPARKPLUG_PREFIX)) {
			this.#sparkplug(topic, payload, now);
			return;
		}
		this.tree.record(topic, { now, origin: 'mqtt', payload, retained });
	}

	/** A tag-store change. */
	tag(tag: TagRecord): void {
		if (this.mqttOrigins.has(tag.origin)) return;
		const stale = tag.quality !== Quality.Good;
		// A change of quality alone (source down, stale sweep) keeps the source timestamp: not a message.
		if (this.#sourceTs.get(tag.id) === tag.sourceTs) {
			this.tree.setStale(tag.path, stale);
			return;
		}
		this.#sourceTs.set(tag.id, tag.sourceTs);
		this.tree.record(tag.path, { now: tag.serverTs, origin: tag.origin, value: tag.value, sourceTs: tag.sourceTs, stale });
	}

	/** True unless the path belongs to someone else than the MQTT source; a path nobody declares is anyone's to browse. */
	#ownedByMqtt(path: string): boolean {
		const refusal = this.ownership?.check(path, MQTT_ORIGIN) ?? null;
		return refusal === null || refusal === 'undeclared';
	}

	/** False (and counted) for a path the tree must not take (see fitsTree: too long, too deep, empty levels). */
	#admit(path: string): boolean {
		if (fitsTree(path)) return true;
		this.stats.droppedTopics++;
		return false;
	}

	#sparkplug(topic: string, payload: Uint8Array, now: number): void {
		this.stats.sparkplugMessages++;
		if (!this.sparkplug) return;
		let outcome: ReturnType<SparkplugDecoder['handle']>;
		try {
			outcome = this.sparkplug.handle(topic, payload, now);
		} catch {
			// The host is meant never to throw; a bug there must not take the browse feed down.
			this.stats.sparkplugFailures++;
			return;
		}
		if (!outcome.ok) this.stats.sparkplugFailures++;
		const fresh = new Set<string>();
		for (const u of outcome.updates) {
			// Metric names carry their own '/' levels: the path is checked again.
			if (!this.#admit(u.path)) continue;
			// A death's snapshot is the last known values going stale: a mark, not a message.
			if (u.stale) this.tree.setStale(u.path, true);
			else {
				this.tree.record(u.path, { now, origin: 'sparkplug', value: u.value, kind: 'sparkplug', sourceTs: u.ts });
				fresh.add(u.path);
			}
		}
		if (outcome.ok && (outcome.kind === 'NBIRTH' || outcome.kind === 'DBIRTH')) this.#staleOutsideBirth(topic, outcome.kind, fresh);
		if (outcome.status) this.#edgeStatus(outcome.status);
	}

	/**
	 * A birth lists every metric its node or device has now; one it no longer lists keeps its node in the
	 * tree (history stays readable) but is marked stale. An NBIRTH leaves its devices alone: they have births of their own.
	 */
	#staleOutsideBirth(topic: string, kind: 'NBIRTH' | 'DBIRTH', fresh: Set<string>): void {
		// spBv1.0/<group>/<kind>/<edge>[/<device>]
		const [, group, , edge, device] = topic.split('/');
		const scope = kind === 'DBIRTH' ? `${SPARKPLUG_PREFIX}${group}/${edge}/${device}` : `${SPARKPLUG_PREFIX}${group}/${edge}`;
		const root = this.tree.find(scope);
		if (!root) return;
		const devices = new Set<string>();
		if (kind === 'NBIRTH' && this.sparkplug)
			for (const s of this.sparkplug.nodes()) if (s.node.startsWith(`${group}/${edge}/`)) devices.add(`${SPARKPLUG_PREFIX}${s.node}`);
		const stack = [...(root.children?.values() ?? [])];
		while (stack.length > 0) {
			const node = stack.pop()!;
			if (devices.has(node.path)) continue;
			if (node.topic && !fresh.has(node.path)) this.tree.setStale(node.path, true);
			if (node.children) stack.push(...node.children.values());
		}
	}

	/**
	 * The browse client lost the broker: every Sparkplug metric is marked stale and every node and device
	 * shown offline. Until its next birth the host refuses the node's data, so each is flagged "rebirth
	 * needed": the admin's rebirth button asks for one. Not sent automatically: a rebirth is a command to
	 * a field device, and every reconnect would make every edge node in the plant re-send its births at once.
	 */
	connectionLost(): void {
		if (!this.sparkplug) return;
		for (const u of this.sparkplug.connectionLost()) if (checkPath(u.path).ok) this.tree.setStale(u.path, true);
		for (const s of this.sparkplug.nodes()) this.#edgeStatus({ ...s, rebirthNeeded: true });
	}

	#edgeStatus(s: SparkplugStatus): void {
		// On the edge node's row, and on a device's row for its own birth and death.
		this.tree.setEdgeStatus(`${SPARKPLUG_PREFIX}${s.node}`, {
			online: s.online,
			lastSeq: s.lastSeq ?? -1,
			seqGaps: s.seqGaps,
			rebirthNeeded: s.rebirthNeeded
		});
	}
}
