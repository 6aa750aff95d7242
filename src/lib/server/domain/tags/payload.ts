import type { TagValue } from '$lib/shared/protocol';

/**
 * Turns an MQTT payload into a value. Accepted, in this order:
 * - UNS JSON `{"timestamp_ms": <epoch ms>, "value": <anything>}` → value and source timestamp;
 * - any other JSON (number, string, boolean, object, array) → that value, timestamp = arrival;
 * - plain UTF-8 text that is not JSON → the text as a string (so `running` and `12.5` both work).
 * Refused (the tag keeps its last value and turns quality Bad): invalid UTF-8 / binary, text that starts
 * like JSON but does not parse, payloads over the size limit, JSON nested deeper than the depth limit,
 * a `timestamp_ms` that is not a finite number.
 */

/** Largest payload we parse, in bytes. The UNS guideline is ≤ 1 KB; this leaves room for odd sources. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;
/** Deepest JSON nesting we keep. */
export const MAX_JSON_DEPTH = 32;

export type ParsedPayload =
	| { ok: true; value: TagValue; timestampMs?: number; empty?: false }
	| { ok: true; empty: true; value: null }
	| { ok: false; reason: PayloadError };

export type PayloadError = 'too-large' | 'not-utf8' | 'bad-json' | 'too-deep' | 'bad-timestamp';

const decoder = new TextDecoder('utf-8', { fatal: true });

export function parsePayload(payload: Uint8Array, maxBytes = DEFAULT_MAX_PAYLOAD_BYTES): ParsedPayload {
	// An empty payload is how MQTT clears a retained topic: the tag has no value any more.
	if (payload.length === 0) return { ok: true, empty: true, value: null };
	if (payload.length > maxBytes) return { ok: false, reason: 'too-large' };
	let text: string;
	try {
		text = decoder.decode(payload);
	} catch {
		return { ok: false, reason: 'not-utf8' };
	}
	if (hasControlCharacters(text)) return { ok: false, reason: 'not-utf8' };
	const trimmed = text.trim();
	const first = trimmed[0];
	const looksJson =
		first === '{' || first === '[' || first === '"' || trimmed === 'true' || trimmed === 'false' || trimmed === 'null' || isJsonNumber(trimmed);
	if (!looksJson) return { ok: true, value: text };
	let parsed: unknown;
	try {
		parsed = JSON.parse(trimmed);
	} catch {
		return { ok: false, reason: 'bad-json' };
	}
	if (depthExceeds(parsed, MAX_JSON_DEPTH)) return { ok: false, reason: 'too-deep' };
	if (isUnsEnvelope(parsed)) {
		const ts = parsed.timestamp_ms;
		if (typeof ts !== 'number' || !Number.isFinite(ts)) return { ok: false, reason: 'bad-timestamp' };
		return { ok: true, value: (parsed.value ?? null) as TagValue, timestampMs: ts };
	}
	return { ok: true, value: parsed as TagValue };
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
