/**
 * What a trend shows — its pens and its time range — and how that is kept in the page URL, so a view can be
 * reloaded, bookmarked and shared: `/trends?pen=<path>&pen=<path>&range=1h`, or `…&from=<ISO>&to=<ISO>` for
 * a fixed period (epoch ms are read too).
 *
 * Presets follow the present ("live"): `5m`, `1h`, `24h` and `7d` are a sliding window of that length ending
 * now; `shift` starts at the beginning of the running shift (in the plant's time zone) and grows until the
 * shift changes. A fixed period (`from`/`to`) does not move.
 */
import { DateTime } from 'luxon';

export const TREND_RANGES = ['5m', '1h', 'shift', '24h', '7d'] as const;
export type TrendRange = (typeof TREND_RANGES)[number];
export const DEFAULT_TREND_RANGE: TrendRange = '1h';

/** Most pens one chart shows; more would be unreadable. */
export const MAX_PENS = 8;

/** Shift start times (`HH:MM`) used when the plant gives no shift plan: three 8-hour shifts. */
export const DEFAULT_SHIFT_STARTS: readonly string[] = ['06:00', '14:00', '22:00'];

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** Length of each sliding preset, ms. */
export const RANGE_MS: Record<Exclude<TrendRange, 'shift'>, number> = {
	'5m': 5 * MINUTE_MS,
	'1h': HOUR_MS,
	'24h': 24 * HOUR_MS,
	'7d': 7 * 24 * HOUR_MS
};

/** A preset that follows the present, or a fixed period (epoch ms). */
export type TrendSpan = { kind: 'preset'; range: TrendRange } | { kind: 'custom'; from: number; to: number };

export interface TrendState {
	/** UNS paths, in the order they were added; no duplicates, at most `MAX_PENS`. */
	pens: string[];
	span: TrendSpan;
}

/** The shift plan as the plant gives it. */
export interface ShiftPlan {
	/** Shift start times, local `HH:MM` in `timezone`. */
	starts: readonly string[];
	/** IANA time zone of the plant, e.g. `Europe/Amsterdam`. */
	timezone?: string;
}

/** A time window, epoch ms; `live` when it follows the present. */
export interface TrendWindow {
	from: number;
	to: number;
	live: boolean;
}

/**
 * When the shift running at `now` began, in the plant's time zone (built from calendar dates there, so a
 * daylight-saving switch does not move it by an hour). Without a usable plan: eight hours ago.
 * @param now epoch ms
 * @param plan shift starts (`HH:MM`, malformed ones are skipped) and the plant's time zone (default: this machine's)
 */
export function shiftStartIn(now: number, plan: ShiftPlan): number {
	let base = DateTime.fromMillis(now, plan.timezone ? { zone: plan.timezone } : {});
	if (!base.isValid) base = DateTime.fromMillis(now);
	const day = base.startOf('day');
	let best = -Infinity;
	for (const start of plan.starts) {
		const m = /^(\d{1,2}):(\d{2})$/.exec(start);
		if (!m) continue;
		for (const offset of [0, -1]) {
			const t = day.plus({ days: offset }).set({ hour: Number(m[1]), minute: Number(m[2]) }).toMillis();
			if (t <= now && t > best) best = t;
		}
	}
	return Number.isFinite(best) ? best : now - 8 * HOUR_MS;
}

/**
 * The window a span covers at `now`.
 * @param now epoch ms
 */
export function windowAt(span: TrendSpan, now: number, plan: ShiftPlan = { starts: DEFAULT_SHIFT_STARTS }): TrendWindow {
	if (span.kind === 'custom') return { from: span.from, to: span.to, live: false };
	if (span.range === 'shift') {
		const from = shiftStartIn(now, plan.starts.length ? plan : { ...plan, starts: DEFAULT_SHIFT_STARTS });
		// Right after a shift change the window would be empty: show at least five minutes.
		return { from: Math.min(from, now - RANGE_MS['5m']), to: now, live: true };
	}
	return { from: now - RANGE_MS[span.range], to: now, live: true };
}

const isRange = (v: string | null): v is TrendRange => v !== null && (TREND_RANGES as readonly string[]).includes(v);

/** A time from the URL: epoch ms or an ISO 8601 date; null when missing or unreadable. */
export function parseTime(v: string | null): number | null {
	if (v === null || v.trim() === '') return null;
	const t = /^\d{1,15}$/.test(v) ? Number(v) : Date.parse(v);
	return Number.isFinite(t) ? t : null;
}

/**
 * The trend a page URL asks for. Unknown or repeated pens are kept as given (the historian may know them)
 * but duplicates and pens beyond `MAX_PENS` are dropped; a usable `from`/`to` pair wins over `range`.
 */
export function parseTrendSearch(params: URLSearchParams): TrendState {
	const pens: string[] = [];
	for (const raw of params.getAll('pen')) {
		const p = raw.trim();
		if (p && !pens.includes(p) && pens.length < MAX_PENS) pens.push(p);
	}
	const from = parseTime(params.get('from'));
	const to = parseTime(params.get('to'));
	if (from !== null && to !== null && from !== to) {
		return { pens, span: { kind: 'custom', from: Math.min(from, to), to: Math.max(from, to) } };
	}
	const range = params.get('range');
	return { pens, span: { kind: 'preset', range: isRange(range) ? range : DEFAULT_TREND_RANGE } };
}

/** The query string (with `?`, or empty) that `parseTrendSearch` reads back as `state`. */
export function trendSearch(state: TrendState): string {
	const p = new URLSearchParams();
	for (const pen of state.pens.slice(0, MAX_PENS)) p.append('pen', pen);
	if (state.span.kind === 'custom') {
		p.set('from', new Date(Math.round(state.span.from)).toISOString());
		p.set('to', new Date(Math.round(state.span.to)).toISOString());
	} else {
		p.set('range', state.span.range);
	}
	const s = p.toString();
	return s ? `?${s}` : '';
}

export const TRENDS_PATH = '/trends';

/** Link to the trend screen showing `state`. */
export function trendHref(state: TrendState): string {
	return `${TRENDS_PATH}${trendSearch(state)}`;
}

/** Same pens and span (a preset compares by name, a period by its times). */
export function sameSpan(a: TrendSpan, b: TrendSpan): boolean {
	if (a.kind === 'preset' || b.kind === 'preset') return a.kind === b.kind && a.kind === 'preset' && b.kind === 'preset' && a.range === b.range;
	return a.from === b.from && a.to === b.to;
}

/**
 * A window `factor` times as wide around its centre (factor < 1 zooms in). Never narrower than `minMs`.
 */
export function scaleWindow(from: number, to: number, factor: number, minMs = 1_000): { from: number; to: number } {
	const mid = (from + to) / 2;
	const half = Math.max(minMs, (to - from) * factor) / 2;
	return { from: Math.round(mid - half), to: Math.round(mid + half) };
}
