import mqtt, { type MqttClient } from 'mqtt';
import { Quality } from '$lib/shared/protocol';
import type { Clock } from '../clock';
import { parsePayload } from '../domain/tags/payload';
import { FUTURE_TIMESTAMP, isTooFarAhead } from '../domain/tags/source-time';
import type { TagStore } from '../domain/tags/tag-store';
import { checkPath } from '$lib/shared/uns-path';
import type { Logger } from '../log';
import { Backoff } from '$lib/shared/backoff';
import { hmiMqttOptions, MQTT_BACKOFF, reconnectWithBackoff } from './mqtt-options';
import type { SourceStatus } from './source-status';

export interface MqttConnectorOptions {
	sourceId: string;
	url: string;
	username?: string;
	password?: string;
	/** Topic filters to subscribe to, e.g. the UNS root `acme/#`. */
	topics: string[];
	maxPayloadBytes: number;
	/** A `timestamp_ms` further ahead of our clock than this is malformed (`future-timestamp`), ms. */
	maxFutureMs: number;
	store: TagStore;
	status: SourceStatus;
	clock: Clock;
	log: Logger;
}

export interface MqttConnector {
	readonly client: MqttClient;
	stop(): Promise<void>;
}

/**
 * Subscribes to the UNS on an MQTT broker and turns each message into a TagUpdate. A payload we cannot
 * use marks that tag Bad and is counted, never thrown. What the tag store takes is its business: a topic
 * this source does not own is refused and counted there. mqtt.js reconnects (waiting by MQTT_BACKOFF) and
 * re-subscribes on its own; while it is down the source's tags are Stale.
 */
export function startMqttConnector(opts: MqttConnectorOptions): MqttConnector {
	const { sourceId, store, status, clock, log } = opts;
	status.register(sourceId, { url: redactUrl(opts.url), topics: opts.topics });
	const client = mqtt.connect(opts.url, hmiMqttOptions({ clientIdPrefix: 'acme-hmi-', username: opts.username, password: opts.password }));
	reconnectWithBackoff(client, new Backoff(MQTT_BACKOFF), () => clock.monotonic());
	client.on('connect', () => {
		log.info({ source: sourceId, url: redactUrl(opts.url) }, 'mqtt connected');
		client.subscribe(opts.topics, { qos: 0 }, (err) => {
			if (err) {
				log.error({ source: sourceId, err: err.message }, 'mqtt subscribe failed');
				status.setState(sourceId, 'disconnected', err.message);
			} else {
				status.setState(sourceId, 'connected');
			}
		});
	});
	const down = (reason: string) => {
		const wasUp = status.get(sourceId)?.state === 'connected';
		status.setState(sourceId, 'disconnected', reason);
		if (wasUp) log.warn({ source: sourceId, reason }, 'mqtt disconnected');
	};
	client.on('close', () => down('connection closed'));
	client.on('offline', () => down('offline'));
	client.on('error', (err) => {
		log.debug({ source: sourceId, err: err.message }, 'mqtt error');
		status.setState(sourceId, status.get(sourceId)?.state ?? 'disconnected', err.message);
	});
	client.on('message', (topic, payload) => {
		const now = clock.now();
		status.countMessage(sourceId);
		if (!checkPath(topic).ok) {
			status.countMalformed(sourceId, 'bad-topic');
			return;
		}
		const parsed = parsePayload(payload, opts.maxPayloadBytes);
		const future = parsed.ok && !parsed.empty && parsed.timestampMs !== undefined && isTooFarAhead(parsed.timestampMs, now, opts.maxFutureMs);
		if (!parsed.ok || future) {
			// The store marks only a topic this source owns Bad; on any other it refuses and counts.
			status.countMalformed(sourceId, parsed.ok ? FUTURE_TIMESTAMP : parsed.reason);
			store.setQuality(topic, Quality.Bad, sourceId, now);
			return;
		}
		const sourceTs = parsed.empty ? now : (parsed.timestampMs ?? now);
		store.apply({ path: topic, value: parsed.value, quality: Quality.Good, sourceTs, serverTs: now, origin: sourceId });
	});
	return {
		client,
		stop: () => new Promise<void>((resolve) => client.end(true, {}, () => resolve()))
	};
}

/** The URL without a password, for logs and /healthz. */
export function redactUrl(url: string): string {
	try {
		const u = new URL(url);
		if (u.password) u.password = '***';
		return u.toString();
	} catch {
		return '(invalid url)';
	}
}
