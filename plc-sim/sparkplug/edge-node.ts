/**
 * The Sparkplug B edge node session as pure logic: which messages to send for births, data, a rebirth
 * request and deaths, with aliases, `seq` and `bdSeq` kept right (Eclipse Sparkplug 3.0.0, chapter 5).
 * It returns messages as data; mqtt-edge.ts publishes them.
 *
 * - `seq` runs 0–255 over NBIRTH (always 0), DBIRTH, NDATA, DDATA and DDEATH, wrapping to 0; NDEATH has none.
 * - `bdSeq` is chosen per MQTT connection: the will (NDEATH) and the NBIRTH of that connection carry the
 *   same value, so a host can tell an old connection's will from the current session's death.
 * - Births carry every metric with name, alias and datatype; data carries aliases only, and only the
 *   metrics that changed (report by exception).
 */
import { decodePayload, encodePayload, type EncodableMetric } from '../../src/lib/server/domain/sparkplug/codec.js';
import type { DataTypeName } from '../../src/lib/server/domain/sparkplug/schema.js';

export interface MetricDef {
	name: string;
	datatype: DataTypeName;
}

export interface DeviceDef {
	id: string;
	metrics: readonly MetricDef[];
}

export type MetricValues = Record<string, number | boolean | string>;

export interface EdgeMessage {
	topic: string;
	payload: Uint8Array;
}

export const REBIRTH_METRIC = 'Node Control/Rebirth';

/** Node-level metrics every birth carries besides the application's own. */
const NODE_METRICS: readonly MetricDef[] = [
	{ name: 'bdSeq', datatype: 'Int64' },
	{ name: REBIRTH_METRIC, datatype: 'Boolean' }
];

export class EdgeNodeSession {
	readonly group: string;
	readonly edge: string;
	readonly nodeMetrics: readonly MetricDef[];
	readonly #devices: readonly DeviceDef[];
	/** `<device or ''>/<metric>` → alias; unique across the node and its devices, as the spec requires. */
	readonly #aliases = new Map<string, number>();
	#seq = 0;
	#bdSeq = 0;
	/** The last values published, per device ('' = the node), for report by exception. */
	#last = new Map<string, MetricValues>();

	constructor(group: string, edge: string, devices: readonly DeviceDef[], extraNodeMetrics: readonly MetricDef[] = []) {
		this.group = group;
		this.edge = edge;
		this.#devices = devices;
		this.nodeMetrics = [...NODE_METRICS, ...extraNodeMetrics];
		let alias = 0;
		for (const m of this.nodeMetrics) this.#aliases.set(`/${m.name}`, ++alias);
		for (const d of devices) for (const m of d.metrics) this.#aliases.set(`${d.id}/${m.name}`, ++alias);
	}

	get bdSeq(): number {
		return this.#bdSeq;
	}

	/**
	 * The will for the next MQTT connection: an NDEATH with that connection's bdSeq. Call once per
	 * connection attempt; the first connection uses bdSeq 0.
	 */
	will(bdSeq: number): EdgeMessage {
		this.#bdSeq = bdSeq % 256;
		return { topic: this.#topic('NDEATH'), payload: encodePayload({ metrics: [{ name: 'bdSeq', datatype: 'Int64', value: this.#bdSeq }] }) };
	}

	/**
	 * NBIRTH (seq 0) with all node metrics, then a DBIRTH per device.
	 * @param values current values per device id ('' = node metrics other than bdSeq/rebirth)
	 * @param now ms since the epoch
	 */
	births(values: Record<string, MetricValues>, now: number): EdgeMessage[] {
		this.#seq = 0;
		this.#last.clear();
		const nodeValues: MetricValues = { ...values[''], bdSeq: this.#bdSeq, [REBIRTH_METRIC]: false };
		const messages = [this.#message('NBIRTH', undefined, this.#birthMetrics('', this.nodeMetrics, nodeValues, now), now, 0)];
		this.#last.set('', nodeValues);
		for (const device of this.#devices) {
			const deviceValues = values[device.id] ?? {};
			messages.push(this.#message('DBIRTH', device.id, this.#birthMetrics(device.id, device.metrics, deviceValues, now), now));
			this.#last.set(device.id, { ...deviceValues });
		}
		return messages;
	}

	/** NDATA/DDATA with the metrics that changed since the last birth or data; nothing when nothing changed. */
	data(values: Record<string, MetricValues>, now: number): EdgeMessage[] {
		const messages: EdgeMessage[] = [];
		const scopes: [string, readonly MetricDef[]][] = [['', this.nodeMetrics], ...this.#devices.map((d): [string, readonly MetricDef[]] => [d.id, d.metrics])];
		for (const [scope, defs] of scopes) {
			const next = values[scope];
			if (!next) continue;
			const last = this.#last.get(scope) ?? {};
			const changed: EncodableMetric[] = [];
			for (const def of defs) {
				const value = next[def.name];
				if (value === undefined || value === last[def.name]) continue;
				changed.push({ alias: this.#aliases.get(`${scope}/${def.name}`), datatype: def.datatype, value, timestamp: now });
				last[def.name] = value;
			}
			this.#last.set(scope, last);
			if (changed.length > 0) messages.push(this.#message(scope === '' ? 'NDATA' : 'DDATA', scope || undefined, changed, now));
		}
		return messages;
	}

	/** True when an NCMD payload asks for a rebirth (`Node Control/Rebirth` = true, by name or alias). */
	isRebirthRequest(payload: Uint8Array): boolean {
		const decoded = decodePayload(payload);
		if (!decoded.ok) return false;
		const alias = this.#aliases.get(`/${REBIRTH_METRIC}`);
		return decoded.payload.metrics.some(
			(m) => (m.name === REBIRTH_METRIC || (m.name === undefined && m.alias === alias)) && m.value.kind === 'boolean' && m.value.value
		);
	}

	/** A DDEATH per device, then the NDEATH with the current bdSeq: what a clean stop sends. */
	deaths(now: number): EdgeMessage[] {
		const messages = this.#devices.map((d) => this.#message('DDEATH', d.id, [], now));
		messages.push({ topic: this.#topic('NDEATH'), payload: encodePayload({ timestamp: now, metrics: [{ name: 'bdSeq', datatype: 'Int64', value: this.#bdSeq }] }) });
		return messages;
	}

	#birthMetrics(scope: string, defs: readonly MetricDef[], values: MetricValues, now: number): EncodableMetric[] {
		return defs.map((def) => ({
			name: def.name,
			alias: this.#aliases.get(`${scope}/${def.name}`),
			datatype: def.datatype,
			value: values[def.name] ?? null,
			timestamp: now
		}));
	}

	#message(type: string, device: string | undefined, metrics: EncodableMetric[], now: number, seq = this.#nextSeq()): EdgeMessage {
		return { topic: this.#topic(type, device), payload: encodePayload({ timestamp: now, seq, metrics }) };
	}

	#nextSeq(): number {
		this.#seq = (this.#seq + 1) % 256;
		return this.#seq;
	}

	#topic(type: string, device?: string): string {
		return `spBv1.0/${this.group}/${type}/${this.edge}${device ? `/${device}` : ''}`;
	}
}
