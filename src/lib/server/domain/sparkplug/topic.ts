// Relative, not $lib: the simulator (plc-sim) imports this module without SvelteKit's alias.
import { SPARKPLUG_PREFIX, SPARKPLUG_ROOT } from '../../../shared/uns-path';

/**
 * Sparkplug B topic names (Sparkplug 3.0.0, chapter "Topics", Sparkplug topic namespace elements):
 *   spBv1.0/<group_id>/<message_type>/<edge_node_id>[/<device_id>]
 *   spBv1.0/STATE/<host_id>
 * Only these shapes are Sparkplug; anything else under the namespace is a bad topic, never a guess.
 */

export const NODE_MESSAGE_TYPES = ['NBIRTH', 'NDATA', 'NDEATH', 'NCMD'] as const;
export const DEVICE_MESSAGE_TYPES = ['DBIRTH', 'DDATA', 'DDEATH', 'DCMD'] as const;

export type NodeMessageType = (typeof NODE_MESSAGE_TYPES)[number];
export type DeviceMessageType = (typeof DEVICE_MESSAGE_TYPES)[number];

export type SparkplugTopic =
	| { kind: 'node'; type: NodeMessageType; group: string; edge: string }
	| { kind: 'device'; type: DeviceMessageType; group: string; edge: string; device: string }
	| { kind: 'state'; hostId: string };

export type TopicParse = { ok: true; topic: SparkplugTopic } | { ok: false; reason: 'not-sparkplug' | 'bad-topic' };

/** True for every topic in the Sparkplug B namespace (the only topics we decode as Sparkplug). */
export function isSparkplugTopic(topic: string): boolean {
	return topic === SPARKPLUG_ROOT || topic.startsWith(SPARKPLUG_PREFIX);
}

/**
 * Parses a Sparkplug B topic. Ids must be non-empty; the spec also forbids the MQTT wildcards and '/'
 * inside an id, which the split by '/' and the wildcard check enforce.
 */
export function parseSparkplugTopic(topic: string): TopicParse {
	if (!isSparkplugTopic(topic)) return { ok: false, reason: 'not-sparkplug' };
	const levels = topic.split('/').slice(1);
	if (levels.some((level) => level === '' || level.includes('+') || level.includes('#'))) {
		return { ok: false, reason: 'bad-topic' };
	}
	if (levels[0] === 'STATE') {
		return levels.length === 2 ? { ok: true, topic: { kind: 'state', hostId: levels[1] } } : { ok: false, reason: 'bad-topic' };
	}
	const [group, type, edge, device] = levels;
	if (levels.length === 3 && (NODE_MESSAGE_TYPES as readonly string[]).includes(type)) {
		return { ok: true, topic: { kind: 'node', type: type as NodeMessageType, group, edge } };
	}
	if (levels.length === 4 && (DEVICE_MESSAGE_TYPES as readonly string[]).includes(type)) {
		return { ok: true, topic: { kind: 'device', type: type as DeviceMessageType, group, edge, device } };
	}
	return { ok: false, reason: 'bad-topic' };
}

/** The topic of a node-level message, e.g. an NCMD to an edge node. */
export function nodeTopic(type: NodeMessageType, group: string, edge: string): string {
	return `${SPARKPLUG_ROOT}/${group}/${type}/${edge}`;
}

/** The topic of a device-level message. */
export function deviceTopic(type: DeviceMessageType, group: string, edge: string, device: string): string {
	return `${SPARKPLUG_ROOT}/${group}/${type}/${edge}/${device}`;
}
