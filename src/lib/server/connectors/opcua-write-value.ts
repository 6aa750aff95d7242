/**
 * A setpoint value as the Variant an OPC UA node takes: in the node's own built-in DataType (a PLC's REAL is
 * Float, DINT Int32, INT Int16, WORD UInt16, BOOL Boolean, …), and only when the value fits that type.
 * A server refuses a Variant of another type (BadTypeMismatch) or, worse, some convert it silently; a value
 * out of the type's range would wrap or be clamped in the PLC. Pure: no session, no I/O.
 */
import { DataType, VariantArrayType } from 'node-opcua';

/** A scalar Variant (said so: node-opcua cannot tell a 64-bit [high, low] pair from an array by itself). */
export type OpcuaWriteVariant = { dataType: DataType; arrayType: VariantArrayType.Scalar; value: number | boolean | [number, number] };

export type OpcuaWriteValue = { ok: true; variant: OpcuaWriteVariant } | { ok: false; reason: 'type_range' | 'unsupported_type'; message: string };

/** Largest finite IEEE 754 single: a Float (PLC REAL) holds nothing bigger. */
const FLOAT_MAX = 3.4028234663852886e38;

/** The whole-number types and their ranges (64-bit ones within what a JavaScript number holds exactly). */
const INTEGER_RANGES: Partial<Record<DataType, [number, number]>> = {
	[DataType.SByte]: [-128, 127],
	[DataType.Byte]: [0, 255],
	[DataType.Int16]: [-32768, 32767],
	[DataType.UInt16]: [0, 65535],
	[DataType.Int32]: [-2147483648, 2147483647],
	[DataType.UInt32]: [0, 4294967295],
	[DataType.Int64]: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
	[DataType.UInt64]: [0, Number.MAX_SAFE_INTEGER]
};

/**
 * The Variant that writes `value` to a node of built-in type `dataType`, or why it cannot.
 * Boolean nodes take 0 (false) and 1 (true).
 */
export function opcuaWriteValue(dataType: DataType, value: number): OpcuaWriteValue {
	const name = DataType[dataType] ?? String(dataType);
	const doesNotFit = (what: string): OpcuaWriteValue => ({ ok: false, reason: 'type_range', message: `${value} does not fit the node's data type ${name} (${what})` });
	switch (dataType) {
		case DataType.Double:
			return Number.isFinite(value) ? { ok: true, variant: { dataType, arrayType: VariantArrayType.Scalar, value } } : doesNotFit('a finite number');
		case DataType.Float:
			return Number.isFinite(value) && Math.abs(value) <= FLOAT_MAX ? { ok: true, variant: { dataType, arrayType: VariantArrayType.Scalar, value } } : doesNotFit(`±${FLOAT_MAX}`);
		case DataType.Boolean:
			return value === 0 || value === 1 ? { ok: true, variant: { dataType, arrayType: VariantArrayType.Scalar, value: value === 1 } } : doesNotFit('0 or 1');
	}
	const range = INTEGER_RANGES[dataType];
	if (!range) return { ok: false, reason: 'unsupported_type', message: `the node's data type ${name} is not a number type a setpoint can write` };
	const [min, max] = range;
	if (!Number.isInteger(value) || value < min || value > max) return doesNotFit(`whole numbers ${min}…${max}`);
	if (dataType === DataType.Int64 || dataType === DataType.UInt64) return { ok: true, variant: { dataType, arrayType: VariantArrayType.Scalar, value: int64Words(value) } };
	return { ok: true, variant: { dataType, arrayType: VariantArrayType.Scalar, value } };
}

/** node-opcua's 64-bit integer: [high, low] 32-bit words, two's complement for a negative value. */
function int64Words(value: number): [number, number] {
	const bits = BigInt.asUintN(64, BigInt(value));
	return [Number(bits >> 32n), Number(bits & 0xffffffffn)];
}
