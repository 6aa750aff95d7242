/**
 * The browser's side of `GET /api/history`: one tag's samples in a range, downsampled by the server to at
 * most `points` (each bucket's first, lowest, highest and last sample). Failures come back as i18n keys.
 */
import type { Series } from './trend-series';

export const HISTORY_ENDPOINT = '/api/history';
/** The server's limits for `points`. */
export const MIN_HISTORY_POINTS = 4;
export const MAX_HISTORY_POINTS = 20_000;

export interface HistoryQuery {
	path: string;
	/** Epoch ms; the range is [from, to). */
	from: number;
	to: number;
	/** Most points wanted: the chart's width in pixels is enough to draw every bucket. */
	points: number;
}

export type HistoryResult =
	| { ok: true; raw: boolean; series: Series }
	/** `key`: why, as an i18n key. */
	| { ok: false; key: string };

/** Points to ask for a chart `widthPx` wide, within the server's limits. */
export function historyPoints(widthPx: number): number {
	const n = Math.round(Number.isFinite(widthPx) ? widthPx : 0);
	return Math.min(MAX_HISTORY_POINTS, Math.max(MIN_HISTORY_POINTS, n));
}

export function historyUrl(q: HistoryQuery): string {
	const p = new URLSearchParams({
		path: q.path,
		from: String(Math.floor(q.from)),
		to: String(Math.ceil(q.to)),
		points: String(historyPoints(q.points))
	});
	return `${HISTORY_ENDPOINT}?${p}`;
}

/** The server's code for a tag it has not recorded yet: that is an empty trend, not an error. */
const NO_HISTORY = 'HMI_ERR_UNKNOWN_TAG';

export async function fetchHistory(q: HistoryQuery, fetchFn: typeof fetch = fetch, signal?: AbortSignal): Promise<HistoryResult> {
	let res: Response;
	try {
		res = await fetchFn(historyUrl(q), { headers: { accept: 'application/json' }, signal });
	} catch {
		return { ok: false, key: signal?.aborted ? 'trends.error.aborted' : 'trends.error.network' };
	}
	let body: unknown;
	try {
		body = await res.json();
	} catch {
		body = undefined;
	}
	if (!res.ok) {
		const code = (body as { code?: unknown } | undefined)?.code;
		if (res.status === 400 && code === NO_HISTORY) {
			return { ok: true, raw: true, series: { ts: [], v: [] } };
		}
		if (res.status === 401) return { ok: false, key: 'errors.HMI_ERR_UNAUTHORIZED' };
		if (res.status === 403) return { ok: false, key: 'errors.HMI_ERR_FORBIDDEN' };
		return { ok: false, key: 'trends.error.load' };
	}
	const data = body as { raw?: unknown; ts?: unknown; v?: unknown } | undefined;
	if (!data || !Array.isArray(data.ts) || !Array.isArray(data.v) || data.ts.length !== data.v.length) {
		return { ok: false, key: 'trends.error.load' };
	}
	const ts: number[] = [];
	const v: (number | null)[] = [];
	for (let i = 0; i < data.ts.length; i++) {
		const t = data.ts[i];
		const x = data.v[i];
		if (typeof t !== 'number' || (ts.length && t <= ts[ts.length - 1])) continue;
		ts.push(t);
		v.push(typeof x === 'number' && Number.isFinite(x) ? x : null);
	}
	return { ok: true, raw: data.raw === true, series: { ts, v } };
}
