import mqtt, { type MqttClient } from 'mqtt';
import type { Clock } from '../clock';
import { SPARKPLUG_PREFIX } from '$lib/shared/uns-path';
import type { UnsIngest } from '../domain/uns/ingest';
import type { Logger } from '../log';
import { redactUrl } from './mqtt';
import { Backoff } from '$lib/shared/backoff';
import { hmiMqttOptions, MQTT_BACKOFF, reconnectWithBackoff } from './mqtt-options';

export interface UnsBrowseOptions {
	url: string;
	username?: string;
	password?: string;
	/** Topic filters of the browse subscription, e.g. `#`. */
	topics: string[];
	/** Larger payloads are cut to this before they reach the tree (which keeps ≈ 1 KB anyway). */
	maxPayloadBytes: number;
	ingest: UnsIngest;
	clock: Clock;
	log: Logger;
}

export interface UnsBrowse {
	readonly client: MqttClient;
	stop(): Promise<void>;
}

/**
 * The UNS browser's own MQTT client: it subscribes to everything the engineer may want to see (`#` by
 * default) and hands messages to the UNS tree only — never to the tag store, historian or alarms, so
 * 100,000 foreign topics cost the tree's memory and nothing else.
 *
 * A second client rather than a listener on the plant connector: the broker queues and delivers each
 * client's messages separately, so a flood on the browse subscription (a load test, a chatty foreign
 * namespace) cannot delay the plant values, and the plant connector keeps its narrow `enterprise/#`
 * subscription and its staleness rules. It also lets publishes from the browser go out on a client
 * that is not the one the plant path depends on.
 */
export function startUnsBrowse(opts: UnsBrowseOptions): UnsBrowse {
	const { ingest, clock, log } = opts;
	const client = mqtt.connect(opts.url, {
		...hmiMqttOptions({ clientIdPrefix: 'acme-hmi-uns-', username: opts.username, password: opts.password }),
		// A publish from the browser is answered now: never held back and sent on a later reconnect.
		queueQoSZero: false
	});
	reconnectWithBackoff(client, new Backoff(MQTT_BACKOFF), () => clock.monotonic());
	client.on('connect', () => {
		client.subscribe(opts.topics, { qos: 0 }, (err) => {
			if (err) log.warn({ err: err.message }, 'uns browse subscribe failed');
			else log.info({ url: redactUrl(opts.url), topics: opts.topics }, 'uns browse subscribed');
		});
	});
	client.on('error', (err) => log.debug({ err: err.message }, 'uns browse mqtt error'));
	let wasConnected = false;
	client.on('connect', () => (wasConnected = true));
	client.on('close', () => {
		if (!wasConnected) return;
		wasConnected = false;
		ingest.connectionLost();
	});
	client.on('message', (topic, payload, packet) => {
		// Cut only plain payloads: a Sparkplug protobuf cut short would be malformed.
		const cut = payload.length > opts.maxPayloadBytes && !topic.startsWith(SPARKPLUG_PREFIX);
		const body = cut ? payload.subarray(0, opts.maxPayloadBytes) : payload;
		ingest.mqttMessage(topic, body, packet.retain, clock.now());
	});
	return {
		client,
		stop: () => new Promise<void>((resolve) => client.end(true, {}, () => resolve()))
	};
}
