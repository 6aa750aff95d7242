/**
 * The browser's side of `GET /api/history`: one tag's samples in a range, downsampled by the server to at
 * most `points` (each bucket's first, lowest, highest and last sample). Failures come back as i18n keys.
 */
import { send } from './api';
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


export async function fetchHistory(q: HistoryQuery, fetchFn: typeof fetch = fetch, signal?: AbortSignal): Promise<HistoryResult> {
	const res = await send(historyUrl(q), {
		fetchFn,
		signal,
		fallbackKey: 'trends.error.load',
		networkKey: 'trends.error.network',
		// The chart's own query can only be bad by a fault of ours: "could not be loaded" says more.
		keys: { HMI_ERR_BAD_REQUEST: 'trends.error.load' }
	});
	if (!res.ok) {
		if (res.status === 0 && signal?.aborted) return { ok: false, key: 'trends.error.aborted' };
		// A tag the server has not recorded yet is an empty trend, not an error.
		if (res.code === 'HMI_ERR_UNKNOWN_TAG') return { ok: true, raw: true, series: { ts: [], v: [] } };
		return { ok: false, key: res.key };
	}
	const data = res.body as { raw?: unknown; ts?: unknown; v?: unknown } | undefined;
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
