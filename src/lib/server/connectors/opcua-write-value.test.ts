import { DataType, VariantArrayType } from 'node-opcua';
import { describe, expect, test } from 'vitest';
import { opcuaWriteValue } from './opcua-write-value';

describe('opcuaWriteValue', () => {
	test.each([
		['Double', DataType.Double, 6.5, 6.5],
		['Float (PLC REAL)', DataType.Float, 6.5, 6.5],
		['Float, a value it rounds', DataType.Float, 0.1, 0.1],
		['Int32 (PLC DINT)', DataType.Int32, -100000, -100000],
		['Int16 (PLC INT)', DataType.Int16, 32767, 32767],
		['Int16, lowest', DataType.Int16, -32768, -32768],
		['UInt16 (PLC WORD)', DataType.UInt16, 65535, 65535],
		['UInt32', DataType.UInt32, 4294967295, 4294967295],
		['Byte', DataType.Byte, 255, 255],
		['SByte', DataType.SByte, -128, -128],
		['Boolean 1', DataType.Boolean, 1, true],
		['Boolean 0', DataType.Boolean, 0, false],
		['Int64', DataType.Int64, 5_000_000_000, [1, 705032704]],
		['Int64, negative (two\'s complement)', DataType.Int64, -1, [0xffffffff, 0xffffffff]],
		['UInt64', DataType.UInt64, 2 ** 32, [1, 0]]
	])('%s: %s is written as %o', (_name, dataType, value, written) => {
		expect(opcuaWriteValue(dataType, value)).toEqual({ ok: true, variant: { dataType, arrayType: VariantArrayType.Scalar, value: written } });
	});

	test.each([
		['Int16 40000', DataType.Int16, 40000, 'whole numbers -32768…32767'],
		['Int16 -40000', DataType.Int16, -40000, 'whole numbers -32768…32767'],
		['Int32 with a fraction', DataType.Int32, 6.5, 'whole numbers'],
		['UInt16 negative', DataType.UInt16, -1, 'whole numbers 0…65535'],
		['UInt32 over', DataType.UInt32, 4294967296, 'whole numbers 0…4294967295'],
		['Byte 256', DataType.Byte, 256, 'whole numbers 0…255'],
		['SByte 128', DataType.SByte, 128, 'whole numbers -128…127'],
		['Boolean 2', DataType.Boolean, 2, '0 or 1'],
		['Boolean 0.5', DataType.Boolean, 0.5, '0 or 1'],
		['Float beyond single precision', DataType.Float, 1e39, '±'],
		['UInt64 negative', DataType.UInt64, -5, 'whole numbers 0…'],
		['Int64 beyond exact integers', DataType.Int64, 2 ** 60, 'whole numbers']
	])('%s is refused (type_range)', (_name, dataType, value, what) => {
		const result = opcuaWriteValue(dataType, value);
		expect(result).toMatchObject({ ok: false, reason: 'type_range' });
		expect(result.ok || result.message).toContain(`${value} does not fit the node's data type ${DataType[dataType]} (`);
		expect(result.ok || result.message).toContain(what);
	});

	test.each([DataType.String, DataType.DateTime, DataType.ByteString, DataType.LocalizedText])('data type %s is not writable as a setpoint', (dataType) => {
		expect(opcuaWriteValue(dataType, 1)).toMatchObject({ ok: false, reason: 'unsupported_type' });
	});
});
