/**
 * UNS convention checks for the browser's warnings: does a topic follow the ISA-95 levels
 * (enterprise/site/area/line/cell/…) and does its payload follow the common UNS payload rules?
 * Pure: each rule is a small function; the result is a list of stable codes the UI translates.
 */
import { isHiddenRoot, SPARKPLUG_PREFIX } from '$lib/shared/uns-path';
import { parsePayload } from '../tags/payload';

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

/** Checks a topic path against the ISA-95 level conventions. */
export function checkTopic(topic: string): ConventionCode[] {
	if (topic.startsWith(SPARKPLUG_PREFIX) || isHiddenRoot(topic)) return [];
	const codes: ConventionCode[] = [];
	const levels = topic.split('/');
	if (levels.length < MIN_LEVELS) codes.push('uns.too_shallow');
	if (levels.some((l) => l === '')) codes.push('uns.empty_level');
	if (levels.some((l) => /[A-Z\s]/.test(l))) codes.push('uns.level_case');
	return codes;
}

/**
 * Classifies a payload and checks it against the UNS payload rules: a JSON object with a `timestamp_ms`
 * in epoch milliseconds, at most 1 KB, no bare arrays. The reading is the tag store's own (`parsePayload`):
 * a timestamp the store refuses is the one flagged here, and no other.
 */
export function checkPayload(topic: string, payload: Uint8Array): { kind: PayloadKind; codes: ConventionCode[] } {
	if (topic.startsWith(SPARKPLUG_PREFIX)) return { kind: 'sparkplug', codes: [] };
	const codes: ConventionCode[] = [];
	if (payload.length > MAX_UNS_PAYLOAD_BYTES) codes.push('uns.payload_too_large');
	// No size refusal here: the browse feed bounds what it passes on, and a big payload is a warning above.
	const { shape, stamp } = parsePayload(payload, Number.POSITIVE_INFINITY);
	switch (shape) {
		case 'empty':
			return { kind: 'empty', codes: [] };
		case 'binary':
			return { kind: 'binary', codes };
		case 'number':
			return { kind: 'number', codes: [...codes, 'uns.not_json'] };
		case 'text':
		case 'scalar':
			return { kind: 'text', codes: [...codes, 'uns.not_json'] };
		case 'array':
			return { kind: 'json', codes: [...codes, 'uns.array_payload'] };
		case 'object':
			if (stamp === 'absent') codes.push('uns.no_timestamp');
			else if (stamp !== 'valid') codes.push('uns.bad_timestamp');
			return { kind: 'json', codes };
	}
}
