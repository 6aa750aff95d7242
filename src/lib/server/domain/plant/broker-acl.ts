import { COMMAND_ROOT, DERIVED_SEGMENTS, isBrokerTopic, SPARKPLUG_ROOT, SYSTEM_ROOT } from '$lib/shared/uns-path';
import type { PlantModel } from './schema';
import { linePath } from './view';

/**
 * Who may publish and subscribe what on the plant's MQTT broker, derived from the plant model. The same
 * rules drive the embedded broker (connectors/embedded-broker.ts) and the Mosquitto ACL file we write for
 * production brokers (`mosquittoAcl`), so both enforce one policy.
 *
 * The HMI itself may read and write everything: it is the one client that holds the plant model, and its
 * own writes are checked where they are made (setpoints, UNS publish). Every other client gets only what
 * its job needs: a line's controller publishes its line and reads its line's commands; a Sparkplug edge
 * node publishes its births, data and deaths and reads its commands; a plain UNS publisher (an ERP, a
 * dashboard tool) publishes anywhere outside the plant's namespaces.
 */

/** Access as in Mosquitto's acl_file: `deny` refuses both directions and wins over any grant. */
export type AclAccess = 'read' | 'write' | 'readwrite' | 'deny';
export interface AclRule {
	access: AclAccess;
	/** An MQTT topic filter (`+`, `#`). */
	filter: string;
}
export interface BrokerAccountSpec {
	username: string;
	/** What the account is for, said in the credentials file and the ACL file. */
	purpose: string;
	rules: AclRule[];
}

/** The HMI's own clients (plant connector, UNS browser, setpoint commands). */
export const HMI_ACCOUNT = 'hmi';
/** Sparkplug B edge nodes. */
export const SPARKPLUG_ACCOUNT = 'sparkplug';
/** Anything else that publishes into the UNS outside the plant's own namespaces. */
export const UNS_PUBLISHER_ACCOUNT = 'uns-publisher';
/** The account of the controller (or gateway) that publishes one MQTT line. */
export const lineAccount = (lineId: string): string => `line-${lineId}`;

const EDGE_MESSAGES = ['NBIRTH', 'NDEATH', 'NDATA', 'DBIRTH', 'DDEATH', 'DDATA'];
const COMMAND_MESSAGES = ['NCMD', 'DCMD'];

/** Every broker account the plant model calls for, with its rules. */
export function brokerAccounts(plant: PlantModel): BrokerAccountSpec[] {
	const accounts: BrokerAccountSpec[] = [{ username: HMI_ACCOUNT, purpose: 'the HMI (plant connector, UNS browser, setpoint commands)', rules: [{ access: 'readwrite', filter: '#' }] }];
	for (const line of plant.lines) {
		if (line.source.kind !== 'mqtt') continue;
		const base = linePath(plant, line);
		accounts.push({
			username: lineAccount(line.id),
			purpose: `the controller publishing ${line.id}`,
			rules: [
				// Alarms and KPIs of the line and its machines are the HMI engines' (the HMI refuses them from any
				// source too; denied here so the broker never carries a controller's claim of them).
				...DERIVED_SEGMENTS.flatMap((segment): AclRule[] => [
					{ access: 'deny', filter: `${base}/${segment}/#` },
					{ access: 'deny', filter: `${base}/+/${segment}/#` }
				]),
				{ access: 'write', filter: `${base}/#` },
				{ access: 'read', filter: `${COMMAND_ROOT}/${base}/#` }
			]
		});
	}
	accounts.push({
		username: SPARKPLUG_ACCOUNT,
		purpose: 'Sparkplug B edge nodes',
		rules: [
			...EDGE_MESSAGES.map((type): AclRule => ({ access: 'write', filter: `${SPARKPLUG_ROOT}/+/${type}/#` })),
			...COMMAND_MESSAGES.map((type): AclRule => ({ access: 'read', filter: `${SPARKPLUG_ROOT}/+/${type}/#` })),
			{ access: 'read', filter: `${SPARKPLUG_ROOT}/STATE/#` }
		]
	});
	accounts.push({
		username: UNS_PUBLISHER_ACCOUNT,
		purpose: 'other UNS publishers, outside the plant, command, Sparkplug and system namespaces',
		rules: [
			{ access: 'deny', filter: `${plant.enterprise}/#` },
			{ access: 'deny', filter: `${COMMAND_ROOT}/#` },
			{ access: 'deny', filter: `${SPARKPLUG_ROOT}/#` },
			{ access: 'deny', filter: `${SYSTEM_ROOT}/#` },
			{ access: 'readwrite', filter: '#' }
		]
	});
	return accounts;
}

/** True when `rules` let a client publish on `topic` (a topic name, no wildcards). */
export function mayPublish(rules: readonly AclRule[], topic: string): boolean {
	if (isBrokerTopic(topic)) return false;
	if (rules.some((r) => r.access === 'deny' && topicMatches(r.filter, topic))) return false;
	return rules.some((r) => (r.access === 'write' || r.access === 'readwrite') && topicMatches(r.filter, topic));
}

/** True when `rules` let a client receive a message on `topic`. */
export function mayReceive(rules: readonly AclRule[], topic: string): boolean {
	if (rules.some((r) => r.access === 'deny' && topicMatches(r.filter, topic))) return false;
	return rules.some((r) => (r.access === 'read' || r.access === 'readwrite') && topicMatches(r.filter, topic));
}

/**
 * True when `rules` let a client subscribe to `filter`: a read grant must cover every topic the filter can
 * match. (A deny inside it is enforced per message, with `mayReceive`.)
 */
export function maySubscribe(rules: readonly AclRule[], filter: string): boolean {
	return rules.some((r) => (r.access === 'read' || r.access === 'readwrite') && filterCovers(r.filter, filter));
}

/** A rule's filter split into levels once: the broker matches every publish and delivery against them. */
const filterLevels = new Map<string, readonly string[]>();
function levelsOf(filter: string): readonly string[] {
	let levels = filterLevels.get(filter);
	if (!levels) filterLevels.set(filter, (levels = filter.split('/')));
	return levels;
}

/**
 * MQTT 3.1.1 topic matching (4.7): `+` one level, `#` the rest (and the parent); `$` topics only by name.
 * Walks the topic in place (no split): it runs for every message the broker takes and delivers.
 */
export function topicMatches(filter: string, topic: string): boolean {
	const want = levelsOf(filter);
	if (isBrokerTopic(topic) && (want[0] === '+' || want[0] === '#')) return false;
	let start = 0;
	for (const level of want) {
		if (level === '#') return true;
		if (start > topic.length) return false;
		let end = topic.indexOf('/', start);
		if (end === -1) end = topic.length;
		if (level !== '+' && (end - start !== level.length || !topic.startsWith(level, start))) return false;
		start = end + 1;
	}
	return start === topic.length + 1;
}

/** True when every topic that `inner` can match is matched by `outer`. */
export function filterCovers(outer: string, inner: string): boolean {
	const o = outer.split('/');
	const n = inner.split('/');
	if (isBrokerTopic(inner) && (o[0] === '+' || o[0] === '#')) return false;
	for (let i = 0; i < o.length; i++) {
		if (o[i] === '#') return true;
		if (i >= n.length || n[i] === '#') return false;
		if (o[i] === '+') continue;
		if (n[i] === '+' || n[i] !== o[i]) return false;
	}
	return o.length === n.length;
}

/**
 * The rules as a Mosquitto `acl_file` (Mosquitto 2: `user`, then `topic <access> <filter>` lines; deny is
 * handled before grants), for a production broker's password-file users of the same names.
 */
export function mosquittoAcl(accounts: readonly BrokerAccountSpec[]): string {
	const blocks = accounts.map((a) => [`# ${a.purpose}`, `user ${a.username}`, ...a.rules.map((r) => `topic ${r.access} ${r.filter}`)].join('\n'));
	return `${blocks.join('\n\n')}\n`;
}
