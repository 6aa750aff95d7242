/**
 * The browser's side of the OEE history API: `GET /api/oee?count=N` → `{ [path]: { current, history } }`
 * for every line and machine path, newest first. A failure comes back as an i18n key.
 */
import { asShiftKpi, type OeeHistoryEntry } from './kpi';

export const OEE_ENDPOINT = '/api/oee';

export type OeeHistory = Record<string, OeeHistoryEntry>;
export type OeeHistoryResult = { ok: true; paths: OeeHistory } | { ok: false; key: string };

/** What a failed answer means for the user, as an i18n key. */
function failureKey(status: number): string {
	if (status === 401) return 'errors.HMI_ERR_UNAUTHORIZED';
	if (status === 403) return 'errors.HMI_ERR_FORBIDDEN';
	if (status === 429) return 'errors.HMI_ERR_RATE_LIMITED';
	return 'kpi.history.failed';
}

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
	let res: Response;
	try {
		res = await fetchFn(`${OEE_ENDPOINT}?count=${count}`, { headers: { accept: 'application/json' } });
	} catch {
		return { ok: false, key: 'kpi.history.network' };
	}
	if (!res.ok) return { ok: false, key: failureKey(res.status) };
	try {
		const paths = parseOeeHistory(await res.json());
		return paths ? { ok: true, paths } : { ok: false, key: 'kpi.history.failed' };
	} catch {
		return { ok: false, key: 'kpi.history.failed' };
	}
}
