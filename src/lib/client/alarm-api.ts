/**
 * The browser's side of the alarm HTTP API (`$lib/shared/alarm-api`): operator actions and the journal.
 * Every failure comes back as an i18n key, so a screen can always say what happened in the user's language.
 */
import type { AlarmActionRequest, AlarmActionResponse, JournalEntry } from '$lib/shared/alarm-api';

export const ALARMS_ENDPOINT = '/api/alarms';
export const JOURNAL_ENDPOINT = '/api/alarms/journal';

/** The request went through: one result per alarm (a refusal carries an `alarm.*` key). */
export type ActionOutcome =
	| { ok: true; results: AlarmActionResponse['results'] }
	/** Nothing was done: `key` says why (`errors.HMI_ERR_FORBIDDEN`, `alarms.result.network`, …). */
	| { ok: false; key: string };

/** What a failed HTTP answer means for the user, as an i18n key. */
export function failureKey(status: number, code: unknown): string {
	if (status === 403) return 'errors.HMI_ERR_FORBIDDEN';
	if (status === 401) return 'errors.HMI_ERR_UNAUTHORIZED';
	if (status === 429) return 'errors.HMI_ERR_RATE_LIMITED';
	if (code === 'HMI_ERR_STORAGE') return 'errors.HMI_ERR_STORAGE';
	if (typeof code === 'string' && code === 'HMI_ERR_BAD_REQUEST') return 'alarms.result.badRequest';
	return 'alarms.result.failed';
}

async function errorCode(res: Response): Promise<unknown> {
	try {
		return ((await res.json()) as { code?: unknown })?.code;
	} catch {
		return undefined;
	}
}

/**
 * Sends one operator action. The action names the endpoint (`POST /api/alarms/<action>`); the rest is the body.
 */
export async function postAlarmAction(request: AlarmActionRequest, fetchFn: typeof fetch = fetch): Promise<ActionOutcome> {
	const { action, ...body } = request;
	let res: Response;
	try {
		res = await fetchFn(`${ALARMS_ENDPOINT}/${action}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', accept: 'application/json' },
			body: JSON.stringify(body)
		});
	} catch {
		return { ok: false, key: 'alarms.result.network' };
	}
	if (!res.ok) return { ok: false, key: failureKey(res.status, await errorCode(res)) };
	try {
		const data = (await res.json()) as AlarmActionResponse;
		if (!Array.isArray(data?.results)) return { ok: false, key: 'alarms.result.failed' };
		return { ok: true, results: data.results };
	} catch {
		return { ok: false, key: 'alarms.result.failed' };
	}
}

/** Journal filters, as the API takes them (times in epoch ms). */
export interface JournalQuery {
	from: number;
	to: number;
	alarm?: string;
	user?: string;
	state?: string;
	limit?: number;
}

/** The query string for `GET /api/alarms/journal`; empty filters are left out. */
export function journalParams(q: JournalQuery, format?: 'csv'): URLSearchParams {
	const p = new URLSearchParams();
	p.set('from', String(Math.round(q.from)));
	p.set('to', String(Math.round(q.to)));
	if (q.alarm) p.set('alarm', q.alarm);
	if (q.user) p.set('user', q.user);
	if (q.state) p.set('state', q.state);
	if (q.limit !== undefined) p.set('limit', String(q.limit));
	if (format) p.set('format', format);
	return p;
}

export type JournalResult = { ok: true; entries: JournalEntry[] } | { ok: false; key: string };

export async function fetchJournal(q: JournalQuery, fetchFn: typeof fetch = fetch): Promise<JournalResult> {
	let res: Response;
	try {
		res = await fetchFn(`${JOURNAL_ENDPOINT}?${journalParams(q)}`, { headers: { accept: 'application/json' } });
	} catch {
		return { ok: false, key: 'alarms.result.network' };
	}
	if (!res.ok) return { ok: false, key: failureKey(res.status, await errorCode(res)) };
	try {
		const entries = (await res.json()) as JournalEntry[];
		return Array.isArray(entries) ? { ok: true, entries } : { ok: false, key: 'alarms.result.failed' };
	} catch {
		return { ok: false, key: 'alarms.result.failed' };
	}
}
