/**
 * The WebSocket wire protocol on /ws, shared by the server hub and the browser's live client.
 *
 * Client → server: `sub`, `unsub`, `ping` (JSON text frames).
 * Server → client: `snapshot` once per `sub`, then `delta` batches, `error`, `pong`.
 *
 * Tag paths are long and repeat in every update, so each connection numbers the paths it sends:
 * a path is announced once in `defs` ([id, path]) and afterwards updates carry only the id.
 */
import type { ErrorCode } from './errors';

import { SYSTEM_ROOT } from './uns-path';

/** Value quality, as a small number on the wire. */
export const Quality = {
	/** Fresh value from a connected source. */
	Good: 0,
	/** The source is down, or the value has not been refreshed within the stale threshold. */
	Stale: 1,
	/** The source sent something we could not use (malformed payload, bad status). */
	Bad: 2
} as const;
export type Quality = (typeof Quality)[keyof typeof Quality];

/** A tag value as it travels: numbers, strings, booleans, JSON objects, or null (no value yet). */
export type TagValue = number | string | boolean | null | { [key: string]: unknown } | unknown[];

/** One update on the wire: [id, value, quality, sourceTs (epoch ms)]. */
export type WireUpdate = [id: number, value: TagValue, quality: Quality, ts: number];

/** Announces that `id` stands for `path` on this connection. */
export type WireDef = [id: number, path: string];

export type ClientMessage =
	| { type: 'sub'; id: number; patterns: string[] }
	| { type: 'unsub'; id: number }
	| { type: 'ping'; id?: number }
	| UnsClientMessage;

export type ServerMessage =
	| { type: 'snapshot'; id: number; seq: number; defs: WireDef[]; u: WireUpdate[] }
	| { type: 'delta'; seq: number; defs?: WireDef[]; u: WireUpdate[] }
	| { type: 'error'; code: ErrorCode; message: string; ref?: number }
	| { type: 'pong'; id?: number; serverTs: number }
	| UnsServerMessage;

/**
 * The UNS browser on the same socket (see src/lib/server/uns/feed.ts). The client opens tree nodes and
 * receives their children's stats: a snapshot per `tree.open`, then at most one conflated `tree` batch per
 * interval with the visible nodes that changed. `tree.detail` follows one topic's messages.
 * Path '' is the root.
 */
export type UnsClientMessage =
	| { type: 'tree.open'; id: number; path: string }
	| { type: 'tree.close'; id?: number; path: string }
	| { type: 'tree.search'; id: number; query: string; byValue?: boolean; limit?: number }
	| { type: 'tree.pause'; id?: number }
	| { type: 'tree.resume'; id?: number }
	/** `path: null` stops following. */
	| { type: 'tree.detail'; id: number; path: string | null };

export type UnsServerMessage =
	/** `id`+`path`+`total` on the snapshot that answers a `tree.open` (total: children, of which `nodes` holds the first ones). */
	| { type: 'tree'; id?: number; path?: string; total?: number; nodes: WireTreeNode[] }
	| { type: 'tree.search'; id: number; paths: string[]; truncated: boolean }
	| { type: 'tree.detail'; id: number; path: string; node: WireTreeNode; history: WireUnsMessage[] }
	/** New messages of the followed topic since the last batch. */
	| { type: 'tree.msgs'; path: string; msgs: WireUnsMessage[] };

export type UnsPayloadKind = 'json' | 'number' | 'text' | 'binary' | 'sparkplug' | 'empty';

/** One tree node's stats on the wire. Optional fields are left out when empty. */
export interface WireTreeNode {
	/** path */
	p: string;
	/** child count */
	c: number;
	/** messages here and below */
	m: number;
	/** rate, messages/s (1 decimal) */
	r: number;
	/** last message time (epoch ms) */
	t: number;
	/** origin of the latest value */
	o: string;
	/** topic only: value preview, kind, retained, warning codes */
	v?: string;
	k?: UnsPayloadKind;
	rt?: true;
	w?: string[];
	/** topic only: the value is not current (source down, Sparkplug death, quality not good) */
	st?: true;
	/** Sparkplug edge node status */
	sp?: { online: boolean; lastSeq: number; seqGaps: number; rebirthNeeded: boolean };
}

/** One message of a topic's history: [seq, ts, text, retained (1/0)]. */
export type WireUnsMessage = [seq: number, ts: number, text: string, retained: 0 | 1];

/** Error frames carry a code of the one shared list (src/lib/shared/errors.ts). */
export type { ErrorCode } from './errors';

/** WebSocket close codes the server uses, and what the client should do on each. */
export const CloseCode = {
	/** Normal shutdown (server stopping): reconnect with backoff. */
	GoingAway: 1001,
	/** Policy violation: abuse, or the session expired / was logged out. Do not reconnect blindly: re-check login. */
	Policy: 1008,
	/** A message over maxPayload. */
	TooBig: 1009,
	/** The server failed on this client's message (a bug, logged): reconnect with backoff. */
	InternalError: 1011
} as const;

/** Close reason sent with 1008 when the session ended (logout, expiry, disabled user). */
export const SESSION_ENDED_REASON = 'session-ended';

/** Path of the WebSocket endpoint. */
export const WS_PATH = '/ws';

/** Name of the HttpOnly session cookie. */
export const SESSION_COOKIE = 'hmi_session';

/** Paths of the system tags that describe each data source's connection: `_sys/sources/<name>/state`. */
export const SOURCE_STATE_PREFIX = `${SYSTEM_ROOT}/sources/`;
export type SourceState = 'connecting' | 'connected' | 'disconnected';
