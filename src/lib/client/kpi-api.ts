/**
 * The browser's side of the OEE history API: `GET /api/oee?count=N` → `{ [path]: { current, history } }`
 * for every line and machine path, newest first. A failure comes back as an i18n key.
 */
import { send } from './api';
import { asShiftKpi, type OeeHistoryEntry } from './kpi';

export const OEE_ENDPOINT = '/api/oee';

export type OeeHistory = Record<string, OeeHistoryEntry>;
export type OeeHistoryResult = { ok: true; paths: OeeHistory } | { ok: false; key: string };

/** Keeps the well-formed entries of an answer (a path without usable shifts gets an empty history). */
export function parseOeeHistory(body: unknown): OeeHistory | null {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
	const out: OeeHistory = {};
	for (const [path, entry] of Object.entries(body as Record<string, unknown>)) {
		if (typeof entry !== 'object' || entry === null) continue;
		const e = entry as { current?: unknown; history?: unknown };
		out[path] = {
			current: asShiftKpi(e.current),
			history: Array.isArray(e.history) ? e.history.map(asShiftKpi).filter((s) => s !== null) : []
		};
	}
	return out;
}

/**
 * Fetches the current shift and `count` earlier shifts of every line and machine.
 * @param count earlier shifts per path
 */
export async function fetchOeeHistory(count: number, fetchFn: typeof fetch = fetch): Promise<OeeHistoryResult> {
	const res = await send(`${OEE_ENDPOINT}?count=${count}`, {
		fetchFn,
		fallbackKey: 'kpi.history.failed',
		networkKey: 'kpi.history.network',
		// Only this screen's own query can be bad: "could not be loaded" says more than "bad request".
		keys: { HMI_ERR_BAD_REQUEST: 'kpi.history.failed' }
	});
	if (!res.ok) return { ok: false, key: res.key };
	const paths = parseOeeHistory(res.body);
	return paths ? { ok: true, paths } : { ok: false, key: 'kpi.history.failed' };
}
