import { describe, expect, test } from 'vitest';
import { checkPayload, checkTopic } from './conventions';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('checkTopic', () => {
	test.each([
		['acme/utrecht/packaging/line1/filler/speed', []],
		['acme/utrecht/packaging/line1/filler/motor/current', []],
		['acme/utrecht/speed', ['uns.too_shallow']],
		['acme/Utrecht/packaging/line1/filler/speed', ['uns.level_case']],
		['acme/utrecht/packaging/line 1/filler/speed', ['uns.level_case']],
		['acme/utrecht//line1/filler/speed', ['uns.empty_level']],
		['spBv1.0/utilities/NDATA/edge1', []],
		['_sys/sources/mqtt/state', []]
	])('%s → %j', (topic, codes) => {
		expect(checkTopic(topic)).toEqual(codes);
	});
});

describe('checkPayload', () => {
	const t = 'acme/utrecht/packaging/line1/filler/speed';
	test.each([
		['UNS envelope', '{"timestamp_ms":1764000000000,"value":512}', 'json', []],
		['object without timestamp', '{"value":512}', 'json', ['uns.no_timestamp']],
		['timestamp in seconds', '{"timestamp_ms":1764000000,"value":1}', 'json', ['uns.bad_timestamp']],
		['fractional epoch ms', '{"timestamp_ms":1764000000000.5,"value":1}', 'json', []],
		['timestamp as text', '{"timestamp_ms":"now","value":1}', 'json', ['uns.bad_timestamp']],
		['array', '[1,2,3]', 'json', ['uns.array_payload']],
		['bare number', '512', 'number', ['uns.not_json']],
		['plain text', 'running', 'text', ['uns.not_json']],
		['over 1 KB', `{"timestamp_ms":1764000000000,"value":"${'x'.repeat(1100)}"}`, 'json', ['uns.payload_too_large']]
	])('%s', (_name, payload, kind, codes) => {
		expect(checkPayload(t, bytes(payload))).toEqual({ kind, codes });
	});

	test('binary, empty and Sparkplug payloads are classified without guessing', () => {
		expect(checkPayload(t, new Uint8Array([0xff, 0x00, 0x12]))).toEqual({ kind: 'binary', codes: [] });
		expect(checkPayload(t, new Uint8Array())).toEqual({ kind: 'empty', codes: [] });
		expect(checkPayload('spBv1.0/g/DDATA/e/d', new Uint8Array([0x08, 0x01]))).toEqual({ kind: 'sparkplug', codes: [] });
	});
});
