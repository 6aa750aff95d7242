import type { TagValue } from '$lib/shared/protocol';

/**
 * The one reading of an MQTT payload, shared by the tag store (through the MQTT connector) and the UNS
 * browser's convention check, so the two can never disagree about the same message. Accepted, in this order:
 * - UNS JSON `{"timestamp_ms": <epoch ms>, "value": <anything>}` → value and source timestamp;
 * - any other JSON (number, string, boolean, object, array) → that value, timestamp = arrival;
 * - plain UTF-8 text that is not JSON → the text as a string (so `running` and `12.5` both work).
 * Refused (the tag keeps its last value and turns quality Bad): invalid UTF-8 / binary, text that starts
 * like JSON but does not parse, payloads over the size limit, JSON nested deeper than the depth limit,
 * a `timestamp_ms` that is not a number, or not epoch milliseconds between 2000 and 2100.
 * Every answer, refused or not, says what the payload looked like (`shape`) and what its `timestamp_ms` was
 * (`stamp`): the UNS browser derives its warnings from exactly that.
 */

/** Largest payload we parse, in bytes. The UNS guideline is ≤ 1 KB; this leaves room for odd sources. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;
/** Deepest JSON nesting we keep. */
export const MAX_JSON_DEPTH = 32;
/**
 * Epoch ms between 2000-01-01 and 2100-01-01. A `timestamp_ms` outside is seconds (1.7e9), microseconds
 * (1.7e15) or garbage. We refuse it rather than guess the unit: a plant engineer expects a value stamped in
 * seconds to show up as a misconfigured publisher (counted, tag Bad), not as data filed under January 1970 —
 * and not as data silently rescaled, which would hide the fault until the day the guess is wrong.
 */
export const MIN_TIMESTAMP_MS = 946_684_800_000;
export const MAX_TIMESTAMP_MS = 4_102_444_800_000;

/** What a payload looked like: `scalar` is a JSON string, boolean or null. */
export type PayloadShape = 'empty' | 'binary' | 'text' | 'number' | 'scalar' | 'object' | 'array';
/** A JSON object's `timestamp_ms`: missing, epoch ms, or present but unusable. */
export type StampCheck = 'absent' | 'valid' | 'not-a-number' | 'not-ms';

export type ParsedPayload =
	| { ok: true; value: TagValue; timestampMs?: number; empty?: false; shape: PayloadShape; stamp: StampCheck }
	| { ok: true; empty: true; value: null; shape: 'empty'; stamp: 'absent' }
	| { ok: false; reason: PayloadError; shape: PayloadShape; stamp: StampCheck };

export type PayloadError = 'too-large' | 'not-utf8' | 'bad-json' | 'too-deep' | 'bad-timestamp' | 'timestamp-not-ms';

const decoder = new TextDecoder('utf-8', { fatal: true });

const refuse = (reason: PayloadError, shape: PayloadShape, stamp: StampCheck = 'absent'): ParsedPayload => ({ ok: false, reason, shape, stamp });

export function parsePayload(payload: Uint8Array, maxBytes = DEFAULT_MAX_PAYLOAD_BYTES): ParsedPayload {
	// An empty payload is how MQTT clears a retained topic: the tag has no value any more.
	if (payload.length === 0) return { ok: true, empty: true, value: null, shape: 'empty', stamp: 'absent' };
	if (payload.length > maxBytes) return refuse('too-large', 'binary');
	let text: string;
	try {
		text = decoder.decode(payload);
	} catch {
		return refuse('not-utf8', 'binary');
	}
	if (hasControlCharacters(text)) return refuse('not-utf8', 'binary');
	const trimmed = text.trim();
	const first = trimmed[0];
	const looksJson =
		first === '{' || first === '[' || first === '"' || trimmed === 'true' || trimmed === 'false' || trimmed === 'null' || isJsonNumber(trimmed);
	if (!looksJson) return { ok: true, value: text, shape: 'text', stamp: 'absent' };
	let parsed: unknown;
	try {
		parsed = JSON.parse(trimmed);
	} catch {
		return refuse('bad-json', 'text');
	}
	const shape = shapeOf(parsed);
	const stamp = shape === 'object' ? checkStamp((parsed as Record<string, unknown>).timestamp_ms) : 'absent';
	if (depthExceeds(parsed, MAX_JSON_DEPTH)) return refuse('too-deep', shape, stamp);
	if (isUnsEnvelope(parsed)) {
		if (stamp === 'not-a-number') return refuse('bad-timestamp', shape, stamp);
		if (stamp === 'not-ms') return refuse('timestamp-not-ms', shape, stamp);
		return { ok: true, value: (parsed.value ?? null) as TagValue, timestampMs: parsed.timestamp_ms as number, shape, stamp };
	}
	return { ok: true, value: parsed as TagValue, shape, stamp };
}

function shapeOf(v: unknown): PayloadShape {
	if (typeof v === 'number') return 'number';
	if (Array.isArray(v)) return 'array';
	if (typeof v === 'object' && v !== null) return 'object';
	return 'scalar';
}

/** Fractional milliseconds (Python's `time.time() * 1000`) are still epoch ms: accepted. */
function checkStamp(ts: unknown): StampCheck {
	if (ts === undefined) return 'absent';
	if (typeof ts !== 'number' || !Number.isFinite(ts)) return 'not-a-number';
	return ts >= MIN_TIMESTAMP_MS && ts <= MAX_TIMESTAMP_MS ? 'valid' : 'not-ms';
}

function isUnsEnvelope(v: unknown): v is { timestamp_ms: unknown; value?: unknown } {
	return typeof v === 'object' && v !== null && !Array.isArray(v) && 'timestamp_ms' in v && 'value' in v;
}

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
function isJsonNumber(s: string): boolean {
	return s.length > 0 && s.length < 64 && JSON_NUMBER.test(s);
}

// Binary data that happens to be valid UTF-8 still carries control bytes; text payloads do not.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f]/;
function hasControlCharacters(s: string): boolean {
	return CONTROL.test(s);
}

/** Iterative depth check, so a hostile payload cannot overflow the stack. */
function depthExceeds(root: unknown, limit: number): boolean {
	if (typeof root !== 'object' || root === null) return false;
	const stack: [unknown, number][] = [[root, 1]];
	while (stack.length > 0) {
		const [node, depth] = stack.pop()!;
		if (depth > limit) return true;
		const children = Array.isArray(node) ? node : Object.values(node as object);
		for (const child of children) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
	}
	return false;
}
