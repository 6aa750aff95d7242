/**
 * The utilities edge node on a real broker: connects with an NDEATH will, subscribes to its NCMD/DCMD,
 * sends births, then reports changed values (aliases only) at a fixed plant-time interval, answers
 * `Node Control/Rebirth`, and sends DDEATH/NDEATH when stopped cleanly. The broker may come and go;
 * each new connection gets the next bdSeq and starts with fresh births.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { MqttLogin } from '../mqtt-accounts.js';
import { EdgeNodeSession, type DeviceDef, type EdgeMessage, type MetricDef } from './edge-node.js';
import { COMPRESSOR, COMPRESSOR_METRICS, METERS, METER_METRICS, UtilitiesModel } from './utilities.js';
import { SPARKPLUG_DEFAULTS } from './defaults.js';

export { SPARKPLUG_DEFAULTS } from './defaults.js';

/** Reports never come faster than this in wall time, whatever the speed (ms). */
const MIN_WALL_INTERVAL_MS = 100;
/** How long stop() waits for the deaths and a clean disconnect before dropping the socket, ms. */
const STOP_TIMEOUT_MS = 2000;

export interface SparkplugEdgeOptions {
	url: string;
	/** The edge node's broker account; none: anonymous. */
	login?: Partial<MqttLogin>;
	/** The simulator's seed: same seed → same values. */
	seed: number;
	/** Plant ms per wall ms, as the simulator's --speed. */
	speed: number;
	group?: string;
	edge?: string;
	/** Plant time between reports, ms. Default 1000. */
	reportIntervalMs?: number;
	reconnectPeriodMs?: number;
	log: (line: string) => void;
	/** Wall clock for the Sparkplug timestamps, ms. Default Date.now. */
	now?: () => number;
}

export interface SparkplugEdge {
	readonly group: string;
	readonly edge: string;
	readonly connected: boolean;
	/** Clean stop: DDEATHs, NDEATH, then MQTT DISCONNECT (the will is discarded). Safe to call twice. */
	stop(): Promise<void>;
	/** Drops the connection without DISCONNECT, as a crash or a pulled cable would: the broker publishes the will. */
	abort(): void;
}

const defs = (metrics: Record<string, { datatype: MetricDef['datatype'] }>): MetricDef[] =>
	Object.entries(metrics).map(([name, { datatype }]) => ({ name, datatype }));

export const UTILITY_DEVICES: readonly DeviceDef[] = [
	{ id: COMPRESSOR, metrics: defs(COMPRESSOR_METRICS) },
	...METERS.map((id) => ({ id, metrics: defs(METER_METRICS) }))
];

export function startSparkplugEdge(options: SparkplugEdgeOptions): SparkplugEdge {
	const { url, log } = options;
	const now = options.now ?? Date.now;
	const group = options.group ?? SPARKPLUG_DEFAULTS.group;
	const edge = options.edge ?? SPARKPLUG_DEFAULTS.edge;
	const reportMs = options.reportIntervalMs ?? SPARKPLUG_DEFAULTS.reportIntervalMs;
	const wallIntervalMs = Math.max(MIN_WALL_INTERVAL_MS, reportMs / options.speed);
	const plantStepMs = wallIntervalMs * options.speed;

	const model = new UtilitiesModel(options.seed);
	const session = new EdgeNodeSession(group, edge, UTILITY_DEVICES);
	const nodeTopics = { ncmd: `spBv1.0/${group}/NCMD/${edge}`, dcmd: `spBv1.0/${group}/DCMD/${edge}/+` };
	let bdSeq = 0;
	let born = false;
	let stopped = false;

	const willOf = (message: EdgeMessage) => ({ topic: message.topic, payload: Buffer.from(message.payload), qos: 1 as const, retain: false });
	const client: MqttClient = mqtt.connect(url, {
		...options.login,
		clientId: `plc-sim-sparkplug-${edge}-${process.pid}-${Date.now().toString(36)}`,
		protocolVersion: 4,
		clean: true,
		reconnectPeriod: options.reconnectPeriodMs ?? 2000,
		connectTimeout: 5000,
		queueQoSZero: false,
		resubscribe: false,
		will: willOf(session.will(bdSeq))
	});

	const publish = (messages: EdgeMessage[]) => {
		for (const m of messages) client.publish(m.topic, Buffer.from(m.payload), { qos: 0, retain: false });
	};
	const sendBirths = () => {
		publish(session.births(model.values(), now()));
		born = true;
	};

	client.on('connect', () => {
		log(`sparkplug: ${group}/${edge} connected to ${url} (bdSeq ${session.bdSeq})`);
		// Commands must be heard before the birth announces the node (spec: "Edge Node Session Establishment").
		client.subscribe([nodeTopics.ncmd, nodeTopics.dcmd], { qos: 1 }, (err) => {
			if (err) log(`sparkplug: cannot subscribe to commands: ${err.message}`);
			if (!stopped && client.connected) sendBirths();
		});
	});
	client.on('close', () => {
		if (born) log(`sparkplug: ${group}/${edge} disconnected`);
		born = false;
		// The next connection is a new session: its will and NBIRTH carry the next bdSeq.
		bdSeq = (bdSeq + 1) % 256;
		client.options.will = willOf(session.will(bdSeq));
	});
	client.on('error', (err) => log(`sparkplug: ${err.message}`));
	client.on('message', (topic, payload) => {
		if (topic === nodeTopics.ncmd && session.isRebirthRequest(payload)) {
			log(`sparkplug: rebirth requested for ${group}/${edge}`);
			if (born) sendBirths();
		}
	});

	const timer = setInterval(() => {
		model.step(plantStepMs);
		if (born && client.connected) publish(session.data(model.values(), now()));
	}, wallIntervalMs);

	let stopping: Promise<void> | undefined;
	return {
		group,
		edge,
		get connected() {
			return client.connected && born;
		},
		abort() {
			stopped = true;
			clearInterval(timer);
			client.end(true);
		},
		stop() {
			stopping ??= new Promise<void>((resolve) => {
				stopped = true;
				clearInterval(timer);
				if (born && client.connected) publish(session.deaths(now()));
				born = false;
				const force = setTimeout(() => client.end(true, {}, () => resolve()), STOP_TIMEOUT_MS);
				client.end(false, {}, () => {
					clearTimeout(force);
					resolve();
				});
			});
			return stopping;
		}
	};
}
