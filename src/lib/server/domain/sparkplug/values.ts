/**
 * Turns a metric's wire value into what the tree shows, using the datatype from the birth certificate
 * (spec, "Payloads" → datatype details, including the 3.0 array types). Pure; never throws on odd input.
 */
import type { RawValue } from './codec.js';
import { toSafeLong } from './codec.js';
import { DataType } from './schema.js';

export type MetricValue = number | string | boolean | null | Record<string, unknown>;

const signedWidth: Partial<Record<number, number>> = { [DataType.Int8]: 8, [DataType.Int16]: 16, [DataType.Int32]: 32 };
const unsignedWidth: Partial<Record<number, number>> = { [DataType.UInt8]: 8, [DataType.UInt16]: 16, [DataType.UInt32]: 32 };

/**
 * @param raw the `oneof value` as decoded
 * @param datatype the wire datatype code (from the birth, or from the metric itself in a birth)
 * @param isNull the metric's `is_null` flag
 */
export function metricValue(raw: RawValue, datatype: number, isNull: boolean): MetricValue {
	if (isNull) return null;
	switch (raw.kind) {
		case 'int': {
			// Narrow signed types are sign-extended from their own width, so both encodings seen in the
			// field (0xFF and 0xFFFFFFFF for Int8 −1) read back as −1.
			const signed = signedWidth[datatype];
			if (signed) return (raw.value << (32 - signed)) >> (32 - signed);
			const unsigned = unsignedWidth[datatype];
			if (unsigned && unsigned < 32) return raw.value & ((1 << unsigned) - 1);
			return raw.value >>> 0;
		}
		case 'long':
			return toSafeLong(
				datatype === DataType.Int64 ? BigInt.asIntN(64, BigInt(raw.value)).toString() : raw.value
			);
		case 'float':
		case 'double':
		case 'boolean':
		case 'string':
			return raw.value;
		case 'bytes':
			return bytesValue(raw.value, datatype);
		case 'dataset':
			return dataSetValue(raw.value);
		case 'template':
			return jsonSafe(raw.value) as Record<string, unknown>;
		case 'extension':
		case 'none':
			return null;
	}
}

type ArrayReader = { size: number; read: (view: DataView, offset: number) => number | string | boolean };
const arrayReaders: Partial<Record<number, ArrayReader>> = {
	[DataType.Int8Array]: { size: 1, read: (v, o) => v.getInt8(o) },
	[DataType.Int16Array]: { size: 2, read: (v, o) => v.getInt16(o, true) },
	[DataType.Int32Array]: { size: 4, read: (v, o) => v.getInt32(o, true) },
	[DataType.Int64Array]: { size: 8, read: (v, o) => toSafeLong(v.getBigInt64(o, true).toString()) },
	[DataType.UInt8Array]: { size: 1, read: (v, o) => v.getUint8(o) },
	[DataType.UInt16Array]: { size: 2, read: (v, o) => v.getUint16(o, true) },
	[DataType.UInt32Array]: { size: 4, read: (v, o) => v.getUint32(o, true) },
	[DataType.UInt64Array]: { size: 8, read: (v, o) => toSafeLong(v.getBigUint64(o, true).toString()) },
	[DataType.FloatArray]: { size: 4, read: (v, o) => v.getFloat32(o, true) },
	[DataType.DoubleArray]: { size: 8, read: (v, o) => v.getFloat64(o, true) },
	[DataType.DateTimeArray]: { size: 8, read: (v, o) => toSafeLong(v.getBigInt64(o, true).toString()) }
};

/** Arrays travel little-endian in bytes_value; anything we cannot split is shown as base64. */
function bytesValue(bytes: Uint8Array, datatype: number): Record<string, unknown> {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const reader = arrayReaders[datatype];
	if (reader && bytes.byteLength % reader.size === 0) {
		const items = [];
		for (let offset = 0; offset < bytes.byteLength; offset += reader.size) items.push(reader.read(view, offset));
		return { items };
	}
	if (datatype === DataType.StringArray) {
		// Null-terminated UTF-8 strings, one after the other.
		const text = new TextDecoder().decode(bytes);
		return { items: text.endsWith('\0') ? text.slice(0, -1).split('\0') : text.split('\0') };
	}
	if (datatype === DataType.BooleanArray && bytes.byteLength >= 4) {
		// A 4-byte little-endian count, then the bits, most significant bit first.
		const count = Math.min(view.getUint32(0, true), (bytes.byteLength - 4) * 8);
		const items = [];
		for (let i = 0; i < count; i++) items.push((bytes[4 + (i >> 3)] & (0x80 >> (i & 7))) !== 0);
		return { items };
	}
	return { bytes: base64(bytes), length: bytes.byteLength };
}

type Plain = Record<string, unknown>;

function dataSetValue(dataset: Plain): Record<string, unknown> {
	const rows = ((dataset.rows as Plain[] | undefined) ?? []).map((row) =>
		((row.elements as Plain[] | undefined) ?? []).map((cell) => {
			const field = cell.value as string | undefined;
			const value = field ? cell[field] : null;
			return field === 'long_value' ? toSafeLong(value as string) : (value ?? null);
		})
	);
	return { columns: dataset.columns ?? [], types: dataset.types ?? [], rows };
}

/** Longs arrive as decimal strings already; bytes become base64 so the value survives JSON. */
function jsonSafe(value: unknown): unknown {
	if (value instanceof Uint8Array) return base64(value);
	if (Array.isArray(value)) return value.map(jsonSafe);
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]));
	}
	return value;
}

function base64(bytes: Uint8Array): string {
	let binary = '';
	for (const byte of bytes) binary += String.fromCharCode(byte);
	return btoa(binary);
}
