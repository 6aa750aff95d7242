import { z } from 'zod';
import type { ClientMessage, ErrorCode } from '$lib/shared/protocol';
import { checkPattern, MAX_PATH_LENGTH } from '$lib/shared/uns-path';

/** Most patterns one `sub` message may carry. */
export const MAX_PATTERNS_PER_SUB = 32;
/** Most paths one `tree.search` answers with. */
export const MAX_SEARCH_RESULTS = 500;

const subId = z.number().int().min(0).max(2 ** 31 - 1);
const schemas = {
	sub: z.object({
		type: z.literal('sub'),
		id: subId,
		patterns: z.array(z.string().max(MAX_PATH_LENGTH)).min(1).max(MAX_PATTERNS_PER_SUB)
	}),
	unsub: z.object({ type: z.literal('unsub'), id: subId }),
	ping: z.object({ type: z.literal('ping'), id: subId.optional() }),
	// UNS browser (src/lib/server/uns/feed.ts): paths are checked against the tree there.
	'tree.open': z.object({ type: z.literal('tree.open'), id: subId, path: z.string().max(MAX_PATH_LENGTH) }),
	'tree.close': z.object({ type: z.literal('tree.close'), id: subId.optional(), path: z.string().max(MAX_PATH_LENGTH) }),
	'tree.search': z.object({
		type: z.literal('tree.search'),
		id: subId,
		query: z.string().min(1).max(200),
		byValue: z.boolean().optional(),
		limit: z.number().int().min(1).max(MAX_SEARCH_RESULTS).optional()
	}),
	'tree.pause': z.object({ type: z.literal('tree.pause'), id: subId.optional() }),
	'tree.resume': z.object({ type: z.literal('tree.resume'), id: subId.optional() }),
	'tree.detail': z.object({ type: z.literal('tree.detail'), id: subId, path: z.string().max(MAX_PATH_LENGTH).nullable() })
};

export type ParsedClientMessage =
	| { ok: true; message: ClientMessage }
	| { ok: false; code: ErrorCode; message: string; ref?: number };

/** Parses one client frame. Never throws: anything wrong becomes an error with a stable code. */
export function parseClientMessage(data: string): ParsedClientMessage {
	let raw: unknown;
	try {
		raw = JSON.parse(data);
	} catch {
		return { ok: false, code: 'HMI_ERR_BAD_MESSAGE', message: 'message is not valid JSON' };
	}
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
		return { ok: false, code: 'HMI_ERR_BAD_MESSAGE', message: 'message must be a JSON object' };
	const type = (raw as { type?: unknown }).type;
	const ref = typeof (raw as { id?: unknown }).id === 'number' ? ((raw as { id: number }).id) : undefined;
	// hasOwn, not `in`: a type named like an Object.prototype key (`constructor`) is unknown, not a schema.
	if (typeof type !== 'string' || !Object.hasOwn(schemas, type))
		return { ok: false, code: 'HMI_ERR_UNKNOWN_TYPE', message: `unknown message type ${JSON.stringify(type)?.slice(0, 40)}`, ref };
	const parsed = schemas[type as keyof typeof schemas].safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		return { ok: false, code: 'HMI_ERR_BAD_MESSAGE', message: `${type}: ${issue.path.join('.') || 'message'} ${issue.message}`, ref };
	}
	const message = parsed.data as ClientMessage;
	if (message.type === 'sub') {
		for (const pattern of message.patterns) {
			const check = checkPattern(pattern);
			if (!check.ok) return { ok: false, code: 'HMI_ERR_BAD_PATTERN', message: `pattern ${JSON.stringify(pattern.slice(0, 80))}: ${check.reason}`, ref };
		}
	}
	return { ok: true, message };
}
