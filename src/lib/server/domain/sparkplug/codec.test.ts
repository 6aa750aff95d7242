import { describe, expect, test } from 'vitest';
import { decodePayload, encodePayload, toSafeLong, type EncodableMetric } from './codec.js';
import { DataType } from './schema.js';
import { HAND_NBIRTH, HAND_NDATA } from './test-fixtures.js';
import { metricValue } from './values.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

describe('decodePayload on hand-assembled bytes', () => {
	test('NBIRTH: timestamp, seq, names, aliases, datatypes and values', () => {
		const result = decodePayload(HAND_NBIRTH);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.payload.timestamp).toBe(1000);
		expect(result.payload.seq).toBe(0);
		expect(result.payload.metrics).toEqual([
			{ name: 'temp', alias: 1, datatype: 10, isHistorical: false, isTransient: false, isNull: false, value: { kind: 'double', value: 21.5 } },
			{ name: 'level', alias: 2, datatype: 3, isHistorical: false, isTransient: false, isNull: false, value: { kind: 'int', value: 7 } }
		]);
	});

	test('NDATA: aliases only; the Int32 needs the birth datatype to read −5', () => {
		const result = decodePayload(HAND_NDATA);
		if (!result.ok) throw new Error(result.reason);
		const [level, temp] = result.payload.metrics;
		expect(level.name).toBeUndefined();
		expect(level.alias).toBe(2);
		expect(level.value).toEqual({ kind: 'int', value: 4294967291 });
		expect(metricValue(level.value, DataType.Int32, false)).toBe(-5);
		expect(temp.value).toEqual({ kind: 'double', value: -1.25 });
		expect(result.payload.seq).toBe(1);
	});
});

describe('decodePayload flags bad input and never throws', () => {
	test.each([
		['truncated varint', '08'],
		['length beyond the end', '12 05 0a 03 61 62'],
		['truncated double', '12 0a 10 01 69 00 00 80 35 40'],
		['JSON text', Buffer.from('{"temp":21.5}').toString('hex')],
		['random bytes', 'ff ff ff ff ff ff'],
		['end-group without start', '0c']
	])('%s', (_label, bytes) => {
		const result = decodePayload(hex(bytes));
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.reason).not.toBe('');
	});

	test('refuses a payload above the size limit without parsing it', () => {
		const result = decodePayload(HAND_NBIRTH, 10);
		expect(result).toEqual({ ok: false, reason: 'payload larger than 10 bytes' });
	});

	test('an empty payload is a valid, empty message', () => {
		expect(decodePayload(new Uint8Array())).toEqual({ ok: true, payload: { metrics: [] } });
	});
});

describe('encode → decode → value, per datatype', () => {
	const cases: [EncodableMetric, unknown][] = [
		[{ name: 'i8', datatype: 'Int8', value: -128 }, -128],
		[{ name: 'i16', datatype: 'Int16', value: -300 }, -300],
		[{ name: 'i32', datatype: 'Int32', value: -2147483648 }, -2147483648],
		[{ name: 'u8', datatype: 'UInt8', value: 255 }, 255],
		[{ name: 'u32', datatype: 'UInt32', value: 4294967295 }, 4294967295],
		[{ name: 'i64 small', datatype: 'Int64', value: -42 }, -42],
		[{ name: 'i64 big', datatype: 'Int64', value: -(2n ** 63n) }, '-9223372036854775808'],
		[{ name: 'u64 safe', datatype: 'UInt64', value: 2 ** 53 - 1 }, 9007199254740991],
		[{ name: 'u64 max', datatype: 'UInt64', value: 2n ** 64n - 1n }, '18446744073709551615'],
		[{ name: 'date', datatype: 'DateTime', value: 1_700_000_000_123 }, 1_700_000_000_123],
		[{ name: 'f', datatype: 'Float', value: 0.5 }, 0.5],
		[{ name: 'd', datatype: 'Double', value: 6.8 }, 6.8],
		[{ name: 'b', datatype: 'Boolean', value: false }, false],
		[{ name: 's', datatype: 'String', value: 'Compressor/1 é' }, 'Compressor/1 é'],
		[{ name: 'null', datatype: 'Double', value: null }, null],
		[{ name: 'bytes', datatype: 'Bytes', value: Uint8Array.of(1, 2, 255) }, { bytes: 'AQL/', length: 3 }],
		[{ name: 'i16[]', datatype: 'Int16Array', value: Uint8Array.of(0xff, 0xff, 0x02, 0x00) }, { items: [-1, 2] }],
		[{ name: 'str[]', datatype: 'StringArray', value: Buffer.from('ab\0c\0') }, { items: ['ab', 'c'] }],
		[{ name: 'bool[]', datatype: 'BooleanArray', value: Uint8Array.of(3, 0, 0, 0, 0b1010_0000) }, { items: [true, false, true] }]
	];
	test.each(cases)('$name', (metric, expected) => {
		const decoded = decodePayload(encodePayload({ timestamp: 5, seq: 9, metrics: [metric] }));
		if (!decoded.ok) throw new Error(decoded.reason);
		const [m] = decoded.payload.metrics;
		expect(m.name).toBe(metric.name);
		expect(metricValue(m.value, m.datatype ?? 0, m.isNull)).toEqual(expected);
	});

	test('a DataSet comes out as columns, types and rows', () => {
		const dataset = {
			num_of_columns: 2,
			columns: ['step', 'kW'],
			types: [DataType.Int32, DataType.Double],
			rows: [{ elements: [{ int_value: 1 }, { double_value: 12.5 }] }, { elements: [{ int_value: 2 }, { double_value: 0 }] }]
		};
		const decoded = decodePayload(encodePayload({ metrics: [{ name: 'profile', datatype: 'DataSet', value: dataset }] }));
		if (!decoded.ok) throw new Error(decoded.reason);
		const [m] = decoded.payload.metrics;
		expect(metricValue(m.value, DataType.DataSet, false)).toEqual({
			columns: ['step', 'kW'],
			types: [3, 10],
			rows: [
				[1, 12.5],
				[2, 0]
			]
		});
	});

	test('payload timestamp and seq round-trip; absent stays absent', () => {
		const withAll = decodePayload(encodePayload({ timestamp: 1_700_000_000_000, seq: 255, uuid: 'u', metrics: [] }));
		expect(withAll).toEqual({ ok: true, payload: { timestamp: 1_700_000_000_000, seq: 255, uuid: 'u', metrics: [] } });
		expect(decodePayload(encodePayload({ metrics: [] }))).toEqual({ ok: true, payload: { metrics: [] } });
	});

	test('an Int8 −1 written as a full 32-bit two\'s complement also reads −1', () => {
		expect(metricValue({ kind: 'int', value: 0xffffffff }, DataType.Int8, false)).toBe(-1);
		expect(metricValue({ kind: 'int', value: 0xff }, DataType.Int8, false)).toBe(-1);
	});
});

test.each([
	['0', 0],
	['9007199254740991', 9007199254740991],
	['9007199254740992', '9007199254740992'],
	['-5', -5]
])('toSafeLong(%s)', (input, expected) => {
	expect(toSafeLong(input)).toBe(expected);
});
