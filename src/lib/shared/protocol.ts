/**
 * The WebSocket wire protocol on /ws, shared by the server hub and the browser's live client.
 *
 * Client → server: `sub`, `unsub`, `ping` (JSON text frames).
 * Server → client: `snapshot` once per `sub`, then `delta` batches, `error`, `pong`.
 *
 * Tag paths are long and repeat in every update, so each connection numbers the paths it sends:
 * a path is announced once in `defs` ([id, path]) and afterwards updates carry only the id.
 */

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
	| { type: 'ping'; id?: number };

export type ServerMessage =
	| { type: 'snapshot'; id: number; seq: number; defs: WireDef[]; u: WireUpdate[] }
	| { type: 'delta'; seq: number; defs?: WireDef[]; u: WireUpdate[] }
	| { type: 'error'; code: ErrorCode; message: string; ref?: number }
	| { type: 'pong'; id?: number; serverTs: number };

/** Stable error codes: tests assert these, the UI translates them (`errors.<code>`). */
export const ErrorCodes = [
	'HMI_ERR_BAD_MESSAGE',
	'HMI_ERR_UNKNOWN_TYPE',
	'HMI_ERR_BAD_PATTERN',
	'HMI_ERR_TOO_MANY_SUBSCRIPTIONS',
	'HMI_ERR_UNKNOWN_SUBSCRIPTION',
	'HMI_ERR_RATE_LIMITED',
	'HMI_ERR_UNAUTHORIZED',
	'HMI_ERR_FORBIDDEN'
] as const;
export type ErrorCode = (typeof ErrorCodes)[number];

/** WebSocket close codes the server uses, and what the client should do on each. */
export const CloseCode = {
	/** Normal shutdown (server stopping): reconnect with backoff. */
	GoingAway: 1001,
	/** Policy violation: abuse, or the session expired / was logged out. Do not reconnect blindly: re-check login. */
	Policy: 1008,
	/** A message over maxPayload. */
	TooBig: 1009
} as const;

/** Close reason sent with 1008 when the session ended (logout, expiry, disabled user). */
export const SESSION_ENDED_REASON = 'session-ended';

/** Path of the WebSocket endpoint. */
export const WS_PATH = '/ws';

/** Name of the HttpOnly session cookie. */
export const SESSION_COOKIE = 'hmi_session';

/** Paths of the system tags that describe each data source's connection: `_sys/sources/<name>/state`. */
export const SOURCE_STATE_PREFIX = '_sys/sources/';
export type SourceState = 'connecting' | 'connected' | 'disconnected';
