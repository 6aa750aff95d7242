/**
 * UNS convention checks for the browser's warnings: does a topic follow the ISA-95 levels
 * (enterprise/site/area/line/cell/…) and does its payload follow the common UNS payload rules?
 * Pure: each rule is a small function; the result is a list of stable codes the UI translates.
 */

/** Payloads above this size break the common UNS guideline (keep messages small and frequent). */
export const MAX_UNS_PAYLOAD_BYTES = 1024;

export type ConventionCode =
	| 'uns.too_shallow' // fewer levels than enterprise/site/area/line/…/tag
	| 'uns.level_case' // a level with upper case or spaces
	| 'uns.empty_level'
	| 'uns.no_timestamp' // JSON without timestamp_ms
	| 'uns.bad_timestamp' // timestamp_ms not a plausible epoch ms
	| 'uns.array_payload' // a JSON array as the payload
	| 'uns.payload_too_large'
	| 'uns.not_json'; // plain text or a bare number: works, but carries no timestamp

/** The kind of payload a topic carries, as the browser shows it. */
export type PayloadKind = 'json' | 'number' | 'text' | 'binary' | 'sparkplug' | 'empty';

/** Minimum depth of a UNS data topic: enterprise/site/area/line/machine/tag. */
const MIN_LEVELS = 6;
/** Epoch ms between 2000 and 2100: anything else is seconds, microseconds or garbage. */
const MIN_TS = 946_684_800_000;
const MAX_TS = 4_102_444_800_000;

/** Checks a topic path against the ISA-95 level conventions. */
export function checkTopic(topic: string): ConventionCode[] {
	if (topic.startsWith('spBv1.0/') || topic.startsWith('$') || topic.startsWith('_')) return [];
	const codes: ConventionCode[] = [];
	const levels = topic.split('/');
	if (levels.length < MIN_LEVELS) codes.push('uns.too_shallow');
	if (levels.some((l) => l === '')) codes.push('uns.empty_level');
	if (levels.some((l) => /[A-Z\s]/.test(l))) codes.push('uns.level_case');
	return codes;
}

/**
 * Classifies a payload and checks it against the UNS payload rules: a JSON object with a `timestamp_ms`
 * in epoch milliseconds, at most 1 KB, no bare arrays.
 */
export function checkPayload(topic: string, payload: Uint8Array): { kind: PayloadKind; codes: ConventionCode[] } {
	if (topic.startsWith('spBv1.0/')) return { kind: 'sparkplug', codes: [] };
	if (payload.length === 0) return { kind: 'empty', codes: [] };
	const codes: ConventionCode[] = [];
	if (payload.length > MAX_UNS_PAYLOAD_BYTES) codes.push('uns.payload_too_large');
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(payload);
	} catch {
		return { kind: 'binary', codes };
	}
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u0008\u000e-\u001f]/.test(text)) return { kind: 'binary', codes };
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		return { kind: 'text', codes: [...codes, 'uns.not_json'] };
	}
	if (typeof parsed === 'number') return { kind: 'number', codes: [...codes, 'uns.not_json'] };
	if (typeof parsed !== 'object' || parsed === null) return { kind: 'text', codes: [...codes, 'uns.not_json'] };
	if (Array.isArray(parsed)) return { kind: 'json', codes: [...codes, 'uns.array_payload'] };
	const ts = (parsed as Record<string, unknown>).timestamp_ms;
	if (ts === undefined) codes.push('uns.no_timestamp');
	else if (typeof ts !== 'number' || !Number.isInteger(ts) || ts < MIN_TS || ts > MAX_TS) codes.push('uns.bad_timestamp');
	return { kind: 'json', codes };
}
