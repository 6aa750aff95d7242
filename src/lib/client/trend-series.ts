/**
 * Samples of one pen, and the chart's data built from several: plain arrays, no I/O, no time of its own.
 *
 * A pen's `Series` holds history (from `/api/history`) followed by live values (from the LiveClient), sorted
 * by time. `null` is a gap (bad or stale value): the line breaks there. Where pens are merged onto one time
 * axis, a pen that has no sample at a time gets `undefined`, which the chart steps over (the line continues).
 */

export interface Series {
	/** Source timestamps, epoch ms, strictly increasing. */
	ts: number[];
	/** Values; null = gap. */
	v: (number | null)[];
}

/** Most samples one pen keeps (live values keep coming while paused); the oldest go first. */
export const MAX_SAMPLES_PER_PEN = 50_000;

export const emptySeries = (): Series => ({ ts: [], v: [] });

/**
 * Adds a sample at the end. Ignored unless newer than the last one (a snapshot may repeat a value already
 * held). Beyond `max` samples the oldest are dropped.
 * @param ts epoch ms
 * @returns whether it was added
 */
export function appendSample(s: Series, ts: number, v: number | null, max = MAX_SAMPLES_PER_PEN): boolean {
	if (!Number.isFinite(ts)) return false;
	const last = s.ts.length ? s.ts[s.ts.length - 1] : -Infinity;
	if (ts <= last) return false;
	s.ts.push(ts);
	s.v.push(v === null || Number.isFinite(v) ? v : null);
	if (s.ts.length > max) {
		const drop = s.ts.length - max;
		s.ts.splice(0, drop);
		s.v.splice(0, drop);
	}
	return true;
}

/**
 * Drops samples older than `cutoff`, except the newest of them, so the line still enters the window from
 * its left edge instead of starting at the first sample inside it.
 * @param cutoff epoch ms (the window's start)
 * @returns how many samples were dropped
 */
export function trimBefore(s: Series, cutoff: number): number {
	let i = 0;
	while (i < s.ts.length && s.ts[i] < cutoff) i++;
	const drop = Math.max(0, i - 1);
	if (drop > 0) {
		s.ts.splice(0, drop);
		s.v.splice(0, drop);
	}
	return drop;
}

/**
 * History for a range, continued by the live samples that came after it: the live samples newer than the
 * history's last sample and not before `loadedTo` - 1 s are kept (the historian writes at least once a
 * second, so anything older is in the history already or never will be).
 * @param loadedTo the end of the range the history was asked for, epoch ms
 */
export function mergeHistory(history: Series, live: Series, loadedTo: number): Series {
	const out: Series = { ts: history.ts.slice(), v: history.v.slice() };
	const last = out.ts.length ? out.ts[out.ts.length - 1] : -Infinity;
	const after = Math.max(last, loadedTo - 1_000 - 1);
	for (let i = 0; i < live.ts.length; i++) {
		if (live.ts[i] > after && live.ts[i] > last) {
			out.ts.push(live.ts[i]);
			out.v.push(live.v[i]);
		}
	}
	return out;
}

/** Multiplies every value (a KPI fraction shown in %). */
export function scaleSeries(s: Series, factor: number): Series {
	return factor === 1 ? s : { ts: s.ts, v: s.v.map((x) => (x === null ? null : x * factor)) };
}

export type Column = (number | null | undefined)[];
/** uPlot's aligned data: one time column (ms), then one column per pen. */
export type Aligned = [number[], ...Column[]];

/** Several pens on one time axis: the union of their timestamps; `undefined` where a pen has no sample. */
export function alignSeries(list: readonly Series[]): Aligned {
	const xs: number[] = [];
	const idx = list.map(() => 0);
	for (;;) {
		let next = Infinity;
		for (let p = 0; p < list.length; p++) if (idx[p] < list[p].ts.length && list[p].ts[idx[p]] < next) next = list[p].ts[idx[p]];
		if (next === Infinity) break;
		xs.push(next);
		for (let p = 0; p < list.length; p++) if (idx[p] < list[p].ts.length && list[p].ts[idx[p]] === next) idx[p]++;
	}
	const cols: Column[] = list.map((s) => {
		const col: Column = new Array(xs.length).fill(undefined);
		let j = 0;
		for (let i = 0; i < s.ts.length; i++) {
			while (xs[j] < s.ts[i]) j++;
			col[j] = s.v[i];
		}
		return col;
	});
	return [xs, ...cols];
}

/**
 * A pen's value at row `idx` of an aligned column: its own sample there, or the last one before it (a value
 * holds until it changes). null for a gap, undefined before its first sample or when more than `maxBack`
 * rows back.
 */
export function valueAt(col: Column, idx: number, maxBack = 10_000): number | null | undefined {
	for (let i = Math.min(idx, col.length - 1), n = 0; i >= 0 && n <= maxBack; i--, n++) {
		if (col[i] !== undefined) return col[i];
	}
	return undefined;
}

/** The rows of `data` whose time lies in [from, to], for an export of what is shown. */
export function sliceAligned(data: Aligned, from: number, to: number): Aligned {
	const [xs, ...cols] = data;
	let a = 0;
	while (a < xs.length && xs[a] < from) a++;
	let b = a;
	while (b < xs.length && xs[b] <= to) b++;
	return [xs.slice(a, b), ...cols.map((c) => c.slice(a, b))];
}

/** What was loaded from the historian for the pens on the chart. */
export interface LoadedRange {
	from: number;
	to: number;
	/** Every sample of the range came back (no downsampling): zooming in shows nothing new. */
	raw: boolean;
}

/** A zoom narrower than this fraction of a downsampled load asks for the detail. */
export const RELOAD_NARROWER = 0.25;

/**
 * Whether the chart needs history for the window it shows: nothing loaded yet, the window reaches outside what
 * was loaded (a live window only at its start: new values come live), or it is much narrower than a downsampled
 * load, so the detail inside was thrown away.
 * @param toleranceMs slack before a window counts as outside (a second of rounding)
 */
export function needsReload(
	loaded: LoadedRange | null,
	view: { from: number; to: number; live: boolean },
	toleranceMs = 1_000
): boolean {
	if (!loaded) return true;
	if (view.from < loaded.from - toleranceMs) return true;
	if (!view.live && view.to > loaded.to + toleranceMs) return true;
	const span = view.to - view.from;
	return !loaded.raw && span < (loaded.to - loaded.from) * RELOAD_NARROWER;
}
