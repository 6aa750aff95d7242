/**
 * The browser's side of the alarm HTTP API (`$lib/shared/alarm-api`): operator actions and the journal.
 * Every failure comes back as an i18n key, so a screen can always say what happened in the user's language.
 */
import type { AlarmActionRequest, AlarmActionResponse, JournalEntry } from '$lib/shared/alarm-api';
import { send, type SendOptions } from './api';

export const ALARMS_ENDPOINT = '/api/alarms';
export const JOURNAL_ENDPOINT = '/api/alarms/journal';

/** The request went through: one result per alarm (a refusal carries an `alarm.*` key). */
export type ActionOutcome =
	| { ok: true; results: AlarmActionResponse['results'] }
	/** Nothing was done: `key` says why (`errors.HMI_ERR_FORBIDDEN`, `alarms.result.network`, …). */
	| { ok: false; key: string };

/** The alarm screens' texts: a refused body says that nothing was changed, which the generic text does not. */
const TEXTS = {
	fallbackKey: 'alarms.result.failed',
	networkKey: 'alarms.result.network',
	keys: { HMI_ERR_BAD_REQUEST: 'alarms.result.badRequest' }
} satisfies Partial<SendOptions>;

/**
 * Sends one operator action. The action names the endpoint (`POST /api/alarms/<action>`); the rest is the body.
 */
export async function postAlarmAction(request: AlarmActionRequest, fetchFn: typeof fetch = fetch): Promise<ActionOutcome> {
	const { action, ...body } = request;
	const res = await send(`${ALARMS_ENDPOINT}/${action}`, { method: 'POST', json: body, fetchFn, ...TEXTS });
	if (!res.ok) return { ok: false, key: res.key };
	const data = res.body as AlarmActionResponse | undefined;
	if (!Array.isArray(data?.results)) return { ok: false, key: TEXTS.fallbackKey };
	return { ok: true, results: data.results };
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
	const res = await send(`${JOURNAL_ENDPOINT}?${journalParams(q)}`, { fetchFn, ...TEXTS });
	if (!res.ok) return { ok: false, key: res.key };
	const entries = res.body as JournalEntry[] | undefined;
	return Array.isArray(entries) ? { ok: true, entries } : { ok: false, key: TEXTS.fallbackKey };
}
