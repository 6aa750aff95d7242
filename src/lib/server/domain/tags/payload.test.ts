import { describe, expect, test } from 'vitest';
import { parsePayload } from './payload';

const text = (s: string) => new TextEncoder().encode(s);

describe('parsePayload accepts', () => {
	test.each([
		['UNS envelope', '{"timestamp_ms":1732435200000,"value":12.5}', 12.5, 1732435200000],
		['UNS envelope with a string', '{"timestamp_ms":1732435200000,"value":"running"}', 'running', 1732435200000],
		['UNS envelope with null', '{"timestamp_ms":1732435200000,"value":null}', null, 1732435200000],
		['fractional epoch ms', '{"timestamp_ms":1732435200000.5,"value":1}', 1, 1732435200000.5],
		['bare number', '42.5', 42.5, undefined],
		['negative exponent', '-1.5e-3', -0.0015, undefined],
		['bare text', 'running', 'running', undefined],
		['text with spaces', 'line stopped ', 'line stopped ', undefined],
		['JSON string', '"idle"', 'idle', undefined],
		['boolean', 'true', true, undefined],
		['JSON object without envelope', '{"a":1}', { a: 1 }, undefined],
		['JSON array', '[1,2,3]', [1, 2, 3], undefined],
		['text that looks like NaN', 'NaN', 'NaN', undefined],
		['unicode text', 'Störung 5 °C', 'Störung 5 °C', undefined]
	])('%s', (_name, payload, value, ts) => {
		const parsed = parsePayload(text(payload));
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		expect(parsed.value).toEqual(value);
		expect(parsed.empty ? undefined : parsed.timestampMs).toBe(ts);
	});

	test('an empty payload clears the value (a retained topic was deleted)', () => {
		expect(parsePayload(new Uint8Array())).toMatchObject({ ok: true, empty: true, value: null });
	});
});

describe('parsePayload refuses', () => {
	const deep = '['.repeat(40) + ']'.repeat(40);
	test.each([
		['broken JSON object', text('{"value": 1'), 'bad-json'],
		['broken JSON array', text('[1,2'), 'bad-json'],
		['invalid UTF-8', new Uint8Array([0xff, 0xfe, 0x00, 0x80]), 'not-utf8'],
		['binary with control bytes', new Uint8Array([0x01, 0x02, 0x41]), 'not-utf8'],
		['deep nesting', text(deep), 'too-deep'],
		['timestamp as text', text('{"timestamp_ms":"yesterday","value":1}'), 'bad-timestamp'],
		['timestamp in seconds', text('{"timestamp_ms":1732435200,"value":1}'), 'timestamp-not-ms'],
		['timestamp in microseconds', text('{"timestamp_ms":1732435200000000,"value":1}'), 'timestamp-not-ms'],
		['over the size limit', text('x'.repeat(70 * 1024)), 'too-large']
	])('%s', (_name, payload, reason) => {
		expect(parsePayload(payload)).toMatchObject({ ok: false, reason });
	});

	test('a custom size limit is honoured', () => {
		expect(parsePayload(text('12345'), 4)).toMatchObject({ ok: false, reason: 'too-large' });
	});
});
