/**
 * Sparkplug B payload decode/encode on top of the protobufjs schema (schema.ts).
 *
 * 64-bit values: protobuf `uint64` fields (Payload.timestamp/seq, Metric.alias/timestamp, long values)
 * come out of protobufjs as Long. We turn them into a plain `number` when they are at most
 * Number.MAX_SAFE_INTEGER (2^53 − 1) and into their exact decimal string otherwise — never a lossy
 * number, and never a BigInt (which JSON, the tree and the WebSocket cannot carry). Long metric values
 * are kept as the unsigned decimal string on the wire (`RawValue` kind 'long'); values.ts applies the
 * datatype (Int64 is two's complement inside the uint64) and the same safe-number rule.
 */
import type protobuf from 'protobufjs';
import { DataType, PayloadType, type DataTypeName } from './schema.js';

/** A uint64 as a safe number, or as its exact decimal string when it does not fit in a double. */
export type LongValue = number | string;

/** The metric's `oneof value` as it was on the wire, before its datatype is applied. */
export type RawValue =
	| { kind: 'int'; value: number }
	| { kind: 'long'; value: string }
	| { kind: 'float' | 'double'; value: number }
	| { kind: 'boolean'; value: boolean }
	| { kind: 'string'; value: string }
	| { kind: 'bytes'; value: Uint8Array }
	| { kind: 'dataset' | 'template'; value: Record<string, unknown> }
	| { kind: 'extension' | 'none' };

export interface SparkplugMetric {
	name?: string;
	alias?: LongValue;
	timestamp?: LongValue;
	datatype?: number;
	isHistorical: boolean;
	isTransient: boolean;
	isNull: boolean;
	value: RawValue;
}

export interface SparkplugPayload {
	timestamp?: LongValue;
	seq?: LongValue;
	uuid?: string;
	body?: Uint8Array;
	metrics: SparkplugMetric[];
}

export type DecodeResult = { ok: true; payload: SparkplugPayload } | { ok: false; reason: string };

/** Payloads above this size are refused before parsing (bytes). Sparkplug births of big nodes stay well below. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A decimal uint64/int64 string as a safe number when it fits, else the string unchanged. */
export function toSafeLong(decimal: string): LongValue {
	const big = BigInt(decimal);
	return big <= MAX_SAFE && big >= -MAX_SAFE ? Number(big) : decimal;
}

type Plain = Record<string, unknown>;

/**
 * Decodes a Sparkplug B protobuf payload. Never throws: truncated, garbage or oversized input gives
 * `{ ok: false, reason }` with protobufjs' message as the reason.
 */
export function decodePayload(bytes: Uint8Array, maxBytes = DEFAULT_MAX_PAYLOAD_BYTES): DecodeResult {
	if (bytes.byteLength > maxBytes) return { ok: false, reason: `payload larger than ${maxBytes} bytes` };
	try {
		const message = PayloadType.decode(bytes);
		const problem = PayloadType.verify(message);
		if (problem) return { ok: false, reason: problem };
		const plain = PayloadType.toObject(message, { longs: String, oneofs: true }) as Plain;
		return { ok: true, payload: toPayload(plain) };
	} catch (err) {
		return { ok: false, reason: err instanceof Error ? err.message : String(err) };
	}
}

function toPayload(plain: Plain): SparkplugPayload {
	const payload: SparkplugPayload = { metrics: ((plain.metrics as Plain[] | undefined) ?? []).map(toMetric) };
	if (plain.timestamp !== undefined) payload.timestamp = toSafeLong(plain.timestamp as string);
	if (plain.seq !== undefined) payload.seq = toSafeLong(plain.seq as string);
	if (plain.uuid !== undefined) payload.uuid = plain.uuid as string;
	if (plain.body !== undefined) payload.body = plain.body as Uint8Array;
	return payload;
}

function toMetric(plain: Plain): SparkplugMetric {
	const metric: SparkplugMetric = {
		isHistorical: plain.is_historical === true,
		isTransient: plain.is_transient === true,
		isNull: plain.is_null === true,
		value: toRawValue(plain)
	};
	if (plain.name !== undefined) metric.name = plain.name as string;
	if (plain.alias !== undefined) metric.alias = toSafeLong(plain.alias as string);
	if (plain.timestamp !== undefined) metric.timestamp = toSafeLong(plain.timestamp as string);
	if (plain.datatype !== undefined) metric.datatype = plain.datatype as number;
	return metric;
}

function toRawValue(plain: Plain): RawValue {
	switch (plain.value) {
		case 'int_value':
			return { kind: 'int', value: plain.int_value as number };
		case 'long_value':
			return { kind: 'long', value: plain.long_value as string };
		case 'float_value':
			return { kind: 'float', value: plain.float_value as number };
		case 'double_value':
			return { kind: 'double', value: plain.double_value as number };
		case 'boolean_value':
			return { kind: 'boolean', value: plain.boolean_value as boolean };
		case 'string_value':
			return { kind: 'string', value: plain.string_value as string };
		case 'bytes_value':
			return { kind: 'bytes', value: plain.bytes_value as Uint8Array };
		case 'dataset_value':
			return { kind: 'dataset', value: plain.dataset_value as Plain };
		case 'template_value':
			return { kind: 'template', value: plain.template_value as Plain };
		case 'extension_value':
			return { kind: 'extension' };
		default:
			return { kind: 'none' };
	}
}

/** A metric to encode. `value` is interpreted by `datatype`; `null` sends `is_null`. */
export interface EncodableMetric {
	name?: string;
	alias?: number | bigint;
	/** Milliseconds since the epoch. */
	timestamp?: number;
	datatype: DataTypeName;
	/** Int64/UInt64/DateTime accept bigint for values beyond 2^53; DataSet/Template take the protobuf object form. */
	value: number | bigint | boolean | string | Uint8Array | Record<string, unknown> | null;
	isHistorical?: boolean;
	isTransient?: boolean;
}

export interface EncodablePayload {
	/** Milliseconds since the epoch. */
	timestamp?: number;
	/** 0–255; absent for NDEATH, STATE-less commands. */
	seq?: number;
	uuid?: string;
	body?: Uint8Array;
	metrics: EncodableMetric[];
}

const uint64 = (v: number | bigint) => BigInt.asUintN(64, BigInt(v)).toString();

/** Encodes a Sparkplug B payload. Throws on a value that does not fit its datatype (a programming error). */
export function encodePayload(payload: EncodablePayload): Uint8Array {
	const plain: Plain = { metrics: payload.metrics.map(toWireMetric) };
	if (payload.timestamp !== undefined) plain.timestamp = uint64(payload.timestamp);
	if (payload.seq !== undefined) plain.seq = uint64(payload.seq);
	if (payload.uuid !== undefined) plain.uuid = payload.uuid;
	if (payload.body !== undefined) plain.body = payload.body;
	const message: protobuf.Message = PayloadType.fromObject(plain);
	return PayloadType.encode(message).finish();
}

function toWireMetric(metric: EncodableMetric): Plain {
	const wire: Plain = { datatype: DataType[metric.datatype] };
	if (metric.name !== undefined) wire.name = metric.name;
	if (metric.alias !== undefined) wire.alias = uint64(metric.alias);
	if (metric.timestamp !== undefined) wire.timestamp = uint64(metric.timestamp);
	if (metric.isHistorical) wire.is_historical = true;
	if (metric.isTransient) wire.is_transient = true;
	if (metric.value === null) {
		wire.is_null = true;
		return wire;
	}
	const [field, value] = wireValue(metric.datatype, metric.value);
	wire[field] = value;
	return wire;
}

function wireValue(datatype: DataTypeName, value: NonNullable<EncodableMetric['value']>): [string, unknown] {
	switch (datatype) {
		case 'Int8':
		case 'Int16':
		case 'Int32':
		case 'UInt8':
		case 'UInt16':
		case 'UInt32':
			// Signed values travel as their two's complement in the uint32 (spec, "Payloads" → datatype details).
			return ['int_value', Number(expect(value, 'number', 'bigint')) >>> 0];
		case 'Int64':
		case 'UInt64':
		case 'DateTime':
			return ['long_value', uint64(expect(value, 'number', 'bigint'))];
		case 'Float':
			return ['float_value', expect(value, 'number')];
		case 'Double':
			return ['double_value', expect(value, 'number')];
		case 'Boolean':
			return ['boolean_value', expect(value, 'boolean')];
		case 'String':
		case 'Text':
		case 'UUID':
			return ['string_value', expect(value, 'string')];
		case 'DataSet':
			return ['dataset_value', value];
		case 'Template':
			return ['template_value', value];
		default:
			if (value instanceof Uint8Array) return ['bytes_value', value];
			throw new TypeError(`cannot encode a ${typeof value} as Sparkplug ${datatype}`);
	}
}

function expect<T extends 'number' | 'bigint' | 'boolean' | 'string'>(
	value: unknown,
	...types: T[]
): T extends 'number' ? number : T extends 'bigint' ? bigint : T extends 'boolean' ? boolean : string {
	if (!types.includes(typeof value as T)) throw new TypeError(`expected ${types.join(' or ')}, got ${typeof value}`);
	return value as never;
}
