import { describe, expect, test } from 'vitest';
import { parsePayload } from '../tags/payload';
import { checkPayload } from './conventions';

const bytes = (s: string) => new TextEncoder().encode(s);
const TOPIC = 'acme/utrecht/packaging/line1/filler/speed';

/**
 * The tag store (through parsePayload) and the UNS browser (through checkPayload) read the same payloads:
 * what one refuses for its timestamp the other must flag, and the other way round.
 */
describe('the tag store and the UNS browser agree on a payload’s timestamp', () => {
	test.each([
		['epoch ms', '{"value":1,"timestamp_ms":1764770000000}', true],
		['fractional epoch ms (Python time.time() * 1000)', '{"value":1,"timestamp_ms":1764770000123.5}', true],
		['seconds', '{"value":1,"timestamp_ms":1764770000}', false],
		['microseconds', '{"value":1,"timestamp_ms":1764770000000000}', false],
		['text', '{"value":1,"timestamp_ms":"now"}', false],
		['negative', '{"value":1,"timestamp_ms":-1}', false]
	])('%s', (_name, payload, usable) => {
		const parsed = parsePayload(bytes(payload));
		const warnings = checkPayload(TOPIC, bytes(payload)).codes;
		expect(parsed.ok).toBe(usable);
		expect(warnings.includes('uns.bad_timestamp')).toBe(!usable);
	});

	test('a seconds-based stamp is refused as not in milliseconds, not filed under January 1970', () => {
		expect(parsePayload(bytes('{"value":1,"timestamp_ms":1764770000}'))).toMatchObject({ ok: false, reason: 'timestamp-not-ms' });
	});
});
