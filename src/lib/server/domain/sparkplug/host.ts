/**
 * A Sparkplug B host application's view of the edge nodes it hears (Eclipse Sparkplug 3.0.0). Pure:
 * `handle(topic, payload, now)` returns what changed; publishing and subscribing are the caller's business.
 *
 * Rules, with where the spec says so (chapter "Operational Behavior" unless named otherwise):
 * - Births carry every metric with its name, datatype and alias; data may carry only the alias
 *   ("Payloads" → Metric: tck-id-payloads-alias-birth-requirement, -alias-data-cmd-requirement). Aliases are
 *   resolved from the last birth only: a DATA before any birth, or with an alias/name the birth did not
 *   declare, is flagged (`no-birth`, `unknown-alias`) and never guessed at; the node then needs a rebirth.
 * - `seq` counts every message an edge node sends from its NBIRTH on (NDATA, DBIRTH, DDATA, DDEATH),
 *   0–255, wrapping to 0; NDEATH has none (tck-id-topics-dbirth-seq, tck-id-payloads-ndeath-seq). Anything
 *   but last+1 mod 256 is a gap: `seqGaps` grows and `rebirthNeeded` is set. The message is still applied.
 * - A birth replaces all earlier aliases and metrics of its node/device and clears `rebirthNeeded`. An
 *   NBIRTH starts a new session, so the node's devices count as offline until their next DBIRTH.
 * - `bdSeq` ("Edge Node Session Establishment"): the NBIRTH carries the bdSeq of the will (NDEATH) of the
 *   same MQTT connection. An NDEATH whose bdSeq differs from the current NBIRTH's is an older connection's
 *   will, arriving late, and is ignored (`stale-death`). An NDEATH makes the node and all its devices
 *   offline and their metrics stale ("Edge Node Session Termination"); a DDEATH one device ("Device
 *   Session Termination"). When the host loses its own broker connection, everything goes stale
 *   ("Host Application Session Establishment"): `connectionLost()`.
 * - STATE (`spBv1.0/STATE/<host_id>`, chapter "Topics") is JSON `{"online":bool,"timestamp":ms}`, not protobuf.
 */
import { decodePayload, encodePayload, type LongValue, type SparkplugMetric, type SparkplugPayload } from './codec.js';
import { DataType, dataTypeName } from './schema.js';
import { nodeTopic, parseSparkplugTopic } from './topic.js';
// Relative, not $lib: the simulator (plc-sim) imports this module without SvelteKit's alias.
import { SPARKPLUG_ROOT } from '../../../shared/uns-path';
import { metricValue, type MetricValue } from './values.js';

export interface SparkplugMetricUpdate {
	/** Tree path: `spBv1.0/<group>/<edge>[/<device>]/<metric name>`; metric names keep their own '/' levels. */
	path: string;
	name: string;
	value: MetricValue;
	/** e.g. 'Double', 'Int32', 'Boolean', 'String' */
	datatype: string;
	/** Metric timestamp, else payload timestamp, else `now` (ms since the epoch). */
	ts: number;
	/** True after NDEATH/DDEATH (or when the node went offline). */
	stale: boolean;
}

export interface SparkplugNodeStatus {
	/** `<group>/<edge>` or `<group>/<edge>/<device>` */
	node: string;
	online: boolean;
	lastSeq: number | null;
	seqGaps: number;
	/** A gap, an unknown alias or data before birth: the host should ask for a rebirth. */
	rebirthNeeded: boolean;
	bdSeq?: number;
	/** A limit of SparkplugHostLimits was hit for this node: some devices or metrics are not tracked. */
	overLimit?: boolean;
}

export type SparkplugMessageKind = 'NBIRTH' | 'NDATA' | 'NDEATH' | 'DBIRTH' | 'DDATA' | 'DDEATH' | 'NCMD' | 'DCMD' | 'STATE';
export type SparkplugFailure = 'bad-topic' | 'malformed' | 'unknown-alias' | 'no-birth' | 'stale-death' | 'over-limit';

export type SparkplugOutcome =
	| {
			ok: true;
			kind: SparkplugMessageKind;
			updates: SparkplugMetricUpdate[];
			status?: SparkplugNodeStatus;
			hostState?: { hostId: string; online: boolean; ts: number };
	  }
	| { ok: false; reason: SparkplugFailure; status?: SparkplugNodeStatus; updates: SparkplugMetricUpdate[] };

/** Bounds on what one host keeps in memory; a message beyond them is dropped and flagged. */
export interface SparkplugHostLimits {
	maxEdgeNodes: number;
	maxDevicesPerNode: number;
	/** Metrics of an edge node and all its devices together. */
	maxMetricsPerNode: number;
	/** Larger payloads are refused as malformed (bytes). */
	maxPayloadBytes: number;
}

export const DEFAULT_SPARKPLUG_LIMITS: SparkplugHostLimits = {
	maxEdgeNodes: 2000,
	maxDevicesPerNode: 500,
	maxMetricsPerNode: 20_000,
	maxPayloadBytes: 4 * 1024 * 1024
};

/** The NCMD metric that asks an edge node to re-send all its births (tck-id-operational-behavior-data-commands-rebirth-name). */
export const REBIRTH_METRIC = 'Node Control/Rebirth';

interface MetricState {
	name: string;
	datatype: number;
	value: MetricValue;
	ts: number;
}

/** What has a birth certificate of its own: an edge node or one of its devices. */
interface Scope {
	path: string;
	online: boolean;
	born: boolean;
	byName: Map<string, MetricState>;
	nameByAlias: Map<string, string>;
}

interface EdgeNode extends Scope {
	id: string;
	group: string;
	edge: string;
	lastSeq: number | null;
	seqGaps: number;
	rebirthNeeded: boolean;
	overLimit: boolean;
	bdSeq?: number;
	devices: Map<string, Scope>;
}

const newScope = (path: string): Scope => ({ path, online: false, born: false, byName: new Map(), nameByAlias: new Map() });

export class SparkplugHost {
	readonly #limits: SparkplugHostLimits;
	readonly #nodes = new Map<string, EdgeNode>();

	constructor(limits: Partial<SparkplugHostLimits> = {}) {
		this.#limits = { ...DEFAULT_SPARKPLUG_LIMITS, ...limits };
	}

	/**
	 * Applies one message received on a `spBv1.0/…` topic. Never throws.
	 * @param now ms since the epoch; used when the payload carries no timestamp
	 */
	handle(topic: string, payload: Uint8Array, now: number): SparkplugOutcome {
		const parsed = parseSparkplugTopic(topic);
		if (!parsed.ok) return fail('bad-topic');
		const t = parsed.topic;
		if (t.kind === 'state') return handleState(t.hostId, payload, now);

		const known = this.#nodes.get(`${t.group}/${t.edge}`);
		const decoded = decodePayload(payload, this.#limits.maxPayloadBytes);
		if (!decoded.ok) return fail('malformed', known && this.#status(known));
		const message = decoded.payload;
		// Commands are another host's business; we do not track them.
		if (t.type === 'NCMD' || t.type === 'DCMD') return { ok: true, kind: t.type, updates: [] };
		if (t.type === 'NDEATH') return known ? this.#nodeDeath(known, message) : { ok: true, kind: 'NDEATH', updates: [] };

		const node = known ?? this.#addNode(t.group, t.edge);
		if (!node) return fail('over-limit');
		if (t.type === 'NBIRTH') return this.#nodeBirth(node, message, now);

		// Every other message an edge node sends is numbered; check before applying it.
		if (!node.born) return this.#needRebirth(node, 'no-birth');
		this.#checkSeq(node, message.seq);
		if (t.kind === 'node') return this.#data(node, node, 'NDATA', message, now);

		let device = node.devices.get(t.device);
		if (!device) {
			if (node.devices.size >= this.#limits.maxDevicesPerNode) {
				node.overLimit = true;
				return fail('over-limit', this.#status(node));
			}
			device = newScope(`${node.path}/${t.device}`);
			node.devices.set(t.device, device);
		}
		switch (t.type) {
			case 'DBIRTH':
				this.#birth(node, device, message, now);
				return { ok: true, kind: 'DBIRTH', updates: this.#snapshot(device, false), status: this.#status(node, t.device) };
			case 'DDATA':
				if (!device.born) return this.#needRebirth(node, 'no-birth', t.device);
				return this.#data(node, device, 'DDATA', message, now, t.device);
			case 'DDEATH':
				device.online = false;
				device.born = false;
				return { ok: true, kind: 'DDEATH', updates: this.#snapshot(device, true), status: this.#status(node, t.device) };
		}
	}

	/**
	 * Call when the host's own broker connection is lost: no death can reach it then, so every node is
	 * taken offline and its metrics stale (spec: "Host Application Session Establishment"). After reconnecting, data
	 * without a new birth is flagged `no-birth`, which asks for a rebirth.
	 */
	connectionLost(): SparkplugMetricUpdate[] {
		const updates: SparkplugMetricUpdate[] = [];
		for (const node of this.#nodes.values()) {
			for (const scope of [node, ...node.devices.values()]) {
				if (scope.online) updates.push(...this.#snapshot(scope, true));
				scope.online = false;
				scope.born = false;
			}
		}
		return updates;
	}

	/** The status of every edge node and device this host knows. */
	nodes(): SparkplugNodeStatus[] {
		const all: SparkplugNodeStatus[] = [];
		for (const node of this.#nodes.values()) {
			all.push(this.#status(node));
			for (const device of node.devices.keys()) all.push(this.#status(node, device));
		}
		return all;
	}

	/**
	 * The NCMD that asks an edge node to re-send its NBIRTH and DBIRTHs.
	 * @param now ms since the epoch, the command's timestamp
	 */
	rebirthRequest(group: string, edge: string, now: number): { topic: string; payload: Uint8Array } {
		return {
			topic: nodeTopic('NCMD', group, edge),
			payload: encodePayload({
				timestamp: now,
				metrics: [{ name: REBIRTH_METRIC, datatype: 'Boolean', value: true, timestamp: now }]
			})
		};
	}

	#addNode(group: string, edge: string): EdgeNode | undefined {
		if (this.#nodes.size >= this.#limits.maxEdgeNodes) return undefined;
		const node: EdgeNode = {
			...newScope(`${SPARKPLUG_ROOT}/${group}/${edge}`),
			id: `${group}/${edge}`,
			group,
			edge,
			lastSeq: null,
			seqGaps: 0,
			rebirthNeeded: false,
			overLimit: false,
			devices: new Map()
		};
		this.#nodes.set(node.id, node);
		return node;
	}

	#nodeBirth(node: EdgeNode, message: SparkplugPayload, now: number): SparkplugOutcome {
		const seq = validSeq(message.seq);
		if (seq === undefined) return this.#needRebirth(node, 'malformed');
		// Devices belong to the previous session until they are born again.
		const updates: SparkplugMetricUpdate[] = [];
		for (const device of node.devices.values()) {
			if (device.online) updates.push(...this.#snapshot(device, true));
			device.online = false;
			device.born = false;
			device.nameByAlias.clear();
		}
		node.lastSeq = seq;
		node.rebirthNeeded = false;
		node.overLimit = false;
		node.bdSeq = bdSeqOf(message);
		this.#birth(node, node, message, now);
		updates.push(...this.#snapshot(node, false));
		return { ok: true, kind: 'NBIRTH', updates, status: this.#status(node) };
	}

	/** Replaces the scope's metrics and aliases with those of the birth certificate. */
	#birth(node: EdgeNode, scope: Scope, message: SparkplugPayload, now: number): void {
		scope.byName.clear();
		scope.nameByAlias.clear();
		let room = this.#limits.maxMetricsPerNode - this.#metricCount(node);
		for (const metric of message.metrics) {
			// A birth metric without a name cannot be shown or referred to later; skip it.
			if (metric.name === undefined || metric.isHistorical) continue;
			if (!scope.byName.has(metric.name)) {
				if (room <= 0) {
					node.overLimit = true;
					continue;
				}
				room--;
			}
			const datatype = metric.datatype ?? DataType.Unknown;
			scope.byName.set(metric.name, { name: metric.name, datatype, value: valueOf(metric, datatype), ts: tsOf(metric, message, now) });
			if (metric.alias !== undefined) scope.nameByAlias.set(String(metric.alias), metric.name);
		}
		scope.online = true;
		scope.born = true;
	}

	#data(node: EdgeNode, scope: Scope, kind: 'NDATA' | 'DDATA', message: SparkplugPayload, now: number, device?: string): SparkplugOutcome {
		const updates: SparkplugMetricUpdate[] = [];
		let unknown = false;
		for (const metric of message.metrics) {
			const name = metric.name ?? (metric.alias !== undefined ? scope.nameByAlias.get(String(metric.alias)) : undefined);
			const state = name === undefined ? undefined : scope.byName.get(name);
			if (!state) {
				unknown = true;
				continue;
			}
			// Historical values are back-fill, not the current value of the metric.
			if (metric.isHistorical) continue;
			state.value = valueOf(metric, state.datatype);
			state.ts = tsOf(metric, message, now);
			updates.push(update(scope, state, false));
		}
		if (unknown) {
			node.rebirthNeeded = true;
			return { ok: false, reason: 'unknown-alias', updates, status: this.#status(node, device) };
		}
		return { ok: true, kind, updates, status: this.#status(node, device) };
	}

	#nodeDeath(node: EdgeNode, message: SparkplugPayload): SparkplugOutcome {
		const bdSeq = bdSeqOf(message);
		if (node.bdSeq !== undefined && bdSeq !== undefined && bdSeq !== node.bdSeq) {
			return fail('stale-death', this.#status(node));
		}
		const updates = this.#snapshot(node, true);
		for (const device of node.devices.values()) {
			updates.push(...this.#snapshot(device, true));
			device.online = false;
			device.born = false;
		}
		node.online = false;
		node.born = false;
		return { ok: true, kind: 'NDEATH', updates, status: this.#status(node) };
	}

	#checkSeq(node: EdgeNode, raw: LongValue | undefined): void {
		const seq = validSeq(raw);
		const expected = node.lastSeq === null ? undefined : (node.lastSeq + 1) % 256;
		if (seq === undefined || seq !== expected) {
			node.seqGaps++;
			node.rebirthNeeded = true;
		}
		node.lastSeq = seq ?? node.lastSeq;
	}

	#needRebirth(node: EdgeNode, reason: SparkplugFailure, device?: string): SparkplugOutcome {
		node.rebirthNeeded = true;
		return fail(reason, this.#status(node, device));
	}

	#snapshot(scope: Scope, stale: boolean): SparkplugMetricUpdate[] {
		return [...scope.byName.values()].map((state) => update(scope, state, stale));
	}

	#metricCount(node: EdgeNode): number {
		let count = node.byName.size;
		for (const device of node.devices.values()) count += device.byName.size;
		return count;
	}

	#status(node: EdgeNode, device?: string): SparkplugNodeStatus {
		const scope = device === undefined ? node : node.devices.get(device);
		const status: SparkplugNodeStatus = {
			node: device === undefined ? node.id : `${node.id}/${device}`,
			online: (scope?.online ?? false) && node.online,
			lastSeq: node.lastSeq,
			seqGaps: node.seqGaps,
			rebirthNeeded: node.rebirthNeeded
		};
		if (node.bdSeq !== undefined) status.bdSeq = node.bdSeq;
		if (node.overLimit) status.overLimit = true;
		return status;
	}
}

function handleState(hostId: string, payload: Uint8Array, now: number): SparkplugOutcome {
	try {
		const state: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
		if (state && typeof state === 'object' && typeof (state as { online?: unknown }).online === 'boolean') {
			const { online, timestamp } = state as { online: boolean; timestamp?: unknown };
			const ts = typeof timestamp === 'number' && Number.isFinite(timestamp) ? timestamp : now;
			return { ok: true, kind: 'STATE', updates: [], hostState: { hostId, online, ts } };
		}
	} catch {
		// Not UTF-8 or not JSON: reported as malformed below.
	}
	return fail('malformed');
}

function fail(reason: SparkplugFailure, status?: SparkplugNodeStatus): SparkplugOutcome {
	return status ? { ok: false, reason, status, updates: [] } : { ok: false, reason, updates: [] };
}

function update(scope: Scope, state: MetricState, stale: boolean): SparkplugMetricUpdate {
	return {
		path: `${scope.path}/${state.name}`,
		name: state.name,
		value: state.value,
		datatype: dataTypeName(state.datatype),
		ts: state.ts,
		stale
	};
}

function valueOf(metric: SparkplugMetric, datatype: number): MetricValue {
	try {
		return metricValue(metric.value, datatype, metric.isNull);
	} catch {
		return null;
	}
}

function tsOf(metric: SparkplugMetric, message: SparkplugPayload, now: number): number {
	if (typeof metric.timestamp === 'number') return metric.timestamp;
	if (typeof message.timestamp === 'number') return message.timestamp;
	return now;
}

/** A seq is an integer 0–255; anything else counts as missing. */
function validSeq(seq: LongValue | undefined): number | undefined {
	return typeof seq === 'number' && Number.isInteger(seq) && seq >= 0 && seq <= 255 ? seq : undefined;
}

/** The `bdSeq` metric of an NBIRTH or NDEATH (sent as Int64/UInt64; the spec keeps it 0–255). */
function bdSeqOf(message: SparkplugPayload): number | undefined {
	const metric = message.metrics.find((m) => m.name === 'bdSeq');
	if (!metric) return undefined;
	const value = valueOf(metric, metric.datatype ?? DataType.UInt64);
	return typeof value === 'number' ? value : undefined;
}
