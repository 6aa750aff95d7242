import type { TagRecord } from '../tags/tag-store';
import type { UnsTree } from './uns-tree';

/** Sparkplug B namespace: these topics are decoded by the Sparkplug host, never shown raw. */
export const SPARKPLUG_PREFIX = 'spBv1.0/';

/** What the UNS ingest needs from a Sparkplug B host (domain/sparkplug/host.ts provides it). */
export interface SparkplugDecoder {
	handle(
		topic: string,
		payload: Uint8Array,
		now: number
	): {
		ok: boolean;
		updates: { path: string; value: unknown; ts: number; stale: boolean }[];
		status?: SparkplugStatus;
	};
	/** The host's broker connection dropped: every node offline (no death can reach it then). */
	connectionLost(): unknown;
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
}

/**
 * Feeds the UNS tree from the two ways values arrive:
 * - raw MQTT messages of the browse subscription (every topic, raw payload, retain flag), with
 *   `spBv1.0/…` decoded by the Sparkplug host into one node per metric, named by the metric's name;
 * - the tag store, for values that do not come over MQTT (OPC UA lines, `_kpi`, `_sys`, alarms).
 * Tag-store values from MQTT are skipped: the browse subscription already saw them, with their raw payload.
 */
export class UnsIngest {
	readonly stats: IngestStats = { messages: 0, sparkplugMessages: 0, sparkplugFailures: 0 };
	/** Tag id → source timestamp of the last value recorded (bounded by the tag store's size). */
	readonly #sourceTs = new Map<number, number>();

	constructor(
		private readonly tree: UnsTree,
		private readonly sparkplug: SparkplugDecoder | null,
		/** Origins the browse subscription already covers. */
		private readonly mqttOrigins: ReadonlySet<string> = new Set(['mqtt'])
	) {}

	/** One message from the browse subscription. Never throws. */
	mqttMessage(topic: string, payload: Uint8Array, retained: boolean, now: number): void {
		this.stats.messages++;
		if (topic.startsWith(SPARKPLUG_PREFIX)) {
			this.#sparkplug(topic, payload, now);
			return;
		}
		this.tree.record(topic, { now, origin: 'mqtt', payload, retained });
	}

	/** A tag-store change. */
	tag(tag: TagRecord): void {
		if (this.mqttOrigins.has(tag.origin)) return;
		// A change of quality alone (source down, stale sweep) keeps the source timestamp: not a message.
		if (this.#sourceTs.get(tag.id) === tag.sourceTs) return;
		this.#sourceTs.set(tag.id, tag.sourceTs);
		this.tree.record(tag.path, { now: tag.serverTs, origin: tag.origin, value: tag.value });
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
		for (const u of outcome.updates) this.tree.record(u.path, { now, origin: 'sparkplug', value: u.value, kind: 'sparkplug' });
		if (outcome.status) this.#edgeStatus(outcome.status);
	}

	/** The browse client lost the broker: Sparkplug edge nodes are shown offline until their next birth. */
	connectionLost(): void {
		if (!this.sparkplug) return;
		this.sparkplug.connectionLost();
		for (const s of this.sparkplug.nodes()) this.#edgeStatus(s);
	}

	#edgeStatus(s: SparkplugStatus): void {
		// Devices report through their edge node; the status is shown on the edge node's row.
		if (s.node.split('/').length !== 2) return;
		this.tree.setEdgeStatus(`${SPARKPLUG_PREFIX}${s.node}`, {
			online: s.online,
			lastSeq: s.lastSeq ?? -1,
			seqGaps: s.seqGaps,
			rebirthNeeded: s.rebirthNeeded
		});
	}
}
