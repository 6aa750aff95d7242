import type { Clock } from '../clock';
import { startUnsBrowse, type UnsBrowse } from '../connectors/uns-browse';
import type { UnsIngest } from '../domain/uns/ingest';
import type { UnsTree } from '../domain/uns/uns-tree';
import type { Hub } from '../hub/hub';
import type { Logger } from '../log';
import { UnsFeed, type UnsFeedLimits } from './feed';
import { publishConfirmed, PublishTimeoutError } from '../connectors/mqtt-publish';
import { protectedTopic, type ProtectedTopic } from './publish';

/** What the UNS browser needs from a Sparkplug B host for a rebirth request. */
export interface RebirthSource {
	rebirthRequest(group: string, edge: string, now: number): { topic: string; payload: Uint8Array };
}

export interface UnsServiceOptions {
	tree: UnsTree;
	ingest: UnsIngest;
	hub: Hub;
	mqtt: { url: string; username?: string; password?: string; maxPayloadBytes: number };
	browseTopics: string[];
	sparkplug: RebirthSource | null;
	clock: Clock;
	log: Logger;
	feedLimits?: Partial<UnsFeedLimits>;
	/** A QoS 1/2 publish the broker has not confirmed by then fails; default 5 s. */
	publishTimeoutMs?: number;
	/** The source that owns a plant path, if any (the plant model's ownership): such topics are not ours to publish. */
	ownerOf: (path: string) => string | undefined;
}

export const DEFAULT_PUBLISH_TIMEOUT_MS = 5000;

const PROTECTED_WHY: Record<ProtectedTopic, string> = {
	command: 'commands to the plant go through the setpoint service (role, range, confirmation and audit)',
	derived: 'alarms, KPIs and system tags are written by the HMI engines only',
	'plant-tag': 'this plant tag belongs to the source of its line',
	sparkplug: 'Sparkplug topics belong to edge nodes; ask for a rebirth with its own request'
};

/**
 * Why a publish failed: `protected` (a topic someone else owns: nothing was sent), `not-connected` (nothing
 * was sent), `timeout` (no PUBACK/PUBCOMP in time: the broker may or may not have it), `refused` (the
 * client reported an error after sending).
 */
export class UnsPublishError extends Error {
	override name = 'UnsPublishError';
	constructor(
		readonly reason: 'protected' | 'not-connected' | 'timeout' | 'refused',
		message: string
	) {
		super(message);
	}
}

export interface PublishRequest {
	topic: string;
	payload: string;
	qos: 0 | 1 | 2;
	retain: boolean;
}

/**
 * The UNS browser on the server: its tree, the feed to the browsers (through the hub's socket) and its
 * own MQTT client for browsing and publishing. Role checks and audit belong to the routes.
 */
export class UnsService {
	readonly tree: UnsTree;
	readonly ingest: UnsIngest;
	readonly feed: UnsFeed;
	readonly #browse: UnsBrowse;
	readonly #unregisterFeed: () => void;
	readonly #sparkplug: RebirthSource | null;
	readonly #clock: Clock;
	readonly #publishTimeoutMs: number;
	readonly #ownerOf: (path: string) => string | undefined;

	constructor(opts: UnsServiceOptions) {
		this.tree = opts.tree;
		this.ingest = opts.ingest;
		this.#sparkplug = opts.sparkplug;
		this.#clock = opts.clock;
		this.#publishTimeoutMs = opts.publishTimeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS;
		this.#ownerOf = opts.ownerOf;
		this.feed = new UnsFeed(opts.tree, opts.clock, opts.hub, opts.feedLimits);
		this.#unregisterFeed = opts.hub.registerChannel(this.feed);
		this.#browse = startUnsBrowse({ ...opts.mqtt, topics: opts.browseTopics, ingest: opts.ingest, clock: opts.clock, log: opts.log });
	}

	/**
	 * Publishes on the browse client; resolves once the broker has it (QoS 1/2) or it is written (QoS 0).
	 * Rejects with UnsPublishError at once for a protected topic or while not connected, and after the
	 * publish timeout.
	 */
	async publish(req: PublishRequest): Promise<void> {
		const owned = protectedTopic(req.topic, this.#ownerOf);
		if (owned !== null) throw new UnsPublishError('protected', PROTECTED_WHY[owned]);
		return this.#publishRaw(req.topic, req.payload, req.qos, req.retain);
	}

	/** True when a Sparkplug host is wired in (rebirth requests can be made). */
	get canRebirth(): boolean {
		return this.#sparkplug !== null;
	}

	/** Sends the Sparkplug NCMD that asks an edge node for a rebirth; returns its topic. */
	async rebirth(group: string, edge: string): Promise<string> {
		if (!this.#sparkplug) throw new Error('no Sparkplug host');
		const { topic, payload } = this.#sparkplug.rebirthRequest(group, edge, this.#clock.now());
		await this.#publishRaw(topic, Buffer.from(payload), 0, false);
		return topic;
	}

	get connected(): boolean {
		return this.#browse.client.connected;
	}

	async stop(): Promise<void> {
		this.#unregisterFeed();
		this.feed.stop();
		await this.#browse.stop();
	}

	async #publishRaw(topic: string, payload: string | Buffer, qos: 0 | 1 | 2, retain: boolean): Promise<void> {
		const client = this.#browse.client;
		if (!client.connected) throw new UnsPublishError('not-connected', 'broker not connected');
		try {
			if (qos === 0) await new Promise<void>((resolve, reject) => client.publish(topic, payload, { qos, retain }, (err) => (err ? reject(err) : resolve())));
			else await publishConfirmed(client, topic, payload, { qos, retain }, this.#publishTimeoutMs, this.#clock);
		} catch (err) {
			if (err instanceof PublishTimeoutError) throw new UnsPublishError('timeout', err.message);
			throw new UnsPublishError('refused', (err as Error).message);
		}
	}
}

