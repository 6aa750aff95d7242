/**
 * The browser's one way to call the HTTP API: does the fetch, reads the JSON answer, and turns a failure into
 * an i18n key by the server's stable code (`errors.<CODE>`, src/lib/shared/errors.ts). A screen passes its
 * own texts only where they say more than the code's: what failed (`fallbackKey`), no answer at all
 * (`networkKey`), or a code whose generic text is less useful on that screen (`keys`).
 */
import { isErrorCode, type ErrorCode } from '$lib/shared/errors';

export type ApiFailure = {
	ok: false;
	/** What to tell the user, as an i18n key. */
	key: string;
	/** 0 when no answer came (network down, aborted). */
	status: number;
	/** The server's code, when it sent one of ours. */
	code?: ErrorCode;
	/** The server's own sentence (English, for logs and details; the user sees `key`). */
	message?: string;
};

/** `body`: the parsed JSON answer, or undefined when it was not JSON. */
export type ApiResult = { ok: true; status: number; body: unknown } | ApiFailure;

export interface SendOptions {
	method?: 'GET' | 'POST';
	/** Sent as JSON. */
	json?: unknown;
	headers?: Record<string, string>;
	signal?: AbortSignal;
	fetchFn?: typeof fetch;
	/** The screen's text when neither the code nor the status says more, e.g. 'kpi.history.failed'. */
	fallbackKey: string;
	/** The screen's text when no answer came at all. */
	networkKey: string;
	/** Codes the screen words itself, e.g. a plain bad request as "the history could not be loaded". */
	keys?: Partial<Record<ErrorCode, string>>;
}

/** Statuses whose meaning does not depend on the route: a proxy's or the server's answer without a code. */
const STATUS_KEYS: Readonly<Record<number, string>> = {
	401: 'errors.HMI_ERR_UNAUTHORIZED',
	403: 'errors.HMI_ERR_FORBIDDEN',
	429: 'errors.HMI_ERR_RATE_LIMITED'
};

/**
 * The i18n key for a failed answer: the screen's own text for the code, else the code's text, else the
 * status's generic text, else `fallbackKey`. A code that is not ours counts as no code.
 */
export function errorKey(status: number, code: unknown, fallbackKey: string, keys: Partial<Record<ErrorCode, string>> = {}): string {
	if (isErrorCode(code)) return keys[code] ?? `errors.${code}`;
	return STATUS_KEYS[status] ?? fallbackKey;
}

/** Calls `url` and reads the answer; a failure comes back as an i18n key, never as a thrown error. */
export async function send(url: string, options: SendOptions): Promise<ApiResult> {
	const { method = 'GET', json, signal, fetchFn = fetch } = options;
	const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
	if (json !== undefined) headers['content-type'] = 'application/json';
	let res: Response;
	try {
		res = await fetchFn(url, { method, headers, body: json === undefined ? undefined : JSON.stringify(json), signal });
	} catch {
		return { ok: false, key: options.networkKey, status: 0 };
	}
	const body: unknown = await res.json().catch(() => undefined);
	if (res.ok) return { ok: true, status: res.status, body };
	const { code, message } = (typeof body === 'object' && body !== null ? body : {}) as { code?: unknown; message?: unknown };
	const failure: ApiFailure = { ok: false, key: errorKey(res.status, code, options.fallbackKey, options.keys), status: res.status };
	if (isErrorCode(code)) failure.code = code;
	if (typeof message === 'string') failure.message = message;
	return failure;
}
