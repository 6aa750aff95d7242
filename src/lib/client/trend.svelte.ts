/**
 * A trend's data: per pen, history for the loaded range followed by the live values that came since.
 *
 * - `load(from, to, points)` asks the historian for every pen at once; the answer replaces the pens' history
 *   and keeps the live samples newer than it. An answer overtaken by a newer request is dropped.
 * - `append(path, ts, value)` adds a live value (scaled like the pen's history); `trim(cutoff)` drops what
 *   scrolled out of a live window.
 * - `version` is bumped on every change, so the chart redraws; the arrays themselves are not reactive.
 *
 * The history source is passed in, so tests give a fake.
 */
import { fetchHistory as defaultFetchHistory, type HistoryQuery, type HistoryResult } from './history-api';
import {
	alignSeries,
	appendSample,
	emptySeries,
	mergeHistory,
	scaleSeries,
	trimBefore,
	type Aligned,
	type LoadedRange,
	type Series
} from './trend-series';

export type HistorySource = (q: HistoryQuery, signal?: AbortSignal) => Promise<HistoryResult>;

export interface TrendPen {
	path: string;
	/** Shown value = stored value × scale. */
	scale: number;
}

export class TrendStore {
	/** Bumped on every change of the data. */
	version = $state(0);
	/** A history request is in flight. */
	loading = $state(false);
	/** Why the last load failed for some pen (i18n key), or null. */
	errorKey = $state<string | null>(null);
	/** What the last completed (or running) load covers; null before the first. */
	loaded = $state.raw<LoadedRange | null>(null);

	readonly #source: HistorySource;
	#pens: TrendPen[] = [];
	#series = new Map<string, Series>();
	#request = 0;
	#abort: AbortController | null = null;
	#aligned: { version: number; data: Aligned } | null = null;

	constructor(source: HistorySource = (q, signal) => defaultFetchHistory(q, fetch, signal)) {
		this.#source = source;
	}

	get pens(): readonly TrendPen[] {
		return this.#pens;
	}

	/** Sets the pens; the data of pens that stay is kept. A new pen has no history until the next `load`. */
	setPens(pens: readonly TrendPen[]): void {
		const next = new Map<string, Series>();
		for (const p of pens) next.set(p.path, this.#series.get(p.path) ?? emptySeries());
		this.#pens = pens.map((p) => ({ ...p }));
		this.#series = next;
		this.loaded = null;
		this.#changed();
	}

	/**
	 * Loads history for [from, to) for every pen.
	 * @param points most points per pen (the chart's width in px)
	 */
	async load(from: number, to: number, points: number): Promise<void> {
		const id = ++this.#request;
		this.#abort?.abort();
		const abort = typeof AbortController === 'function' ? new AbortController() : null;
		this.#abort = abort;
		const pens = this.#pens;
		this.loading = true;
		this.loaded = { from, to, raw: true };
		const results = await Promise.all(pens.map((p) => this.#source({ path: p.path, from, to, points }, abort?.signal)));
		if (id !== this.#request) return; // overtaken
		this.#abort = null;
		let raw = true;
		let failed: string | null = null;
		results.forEach((r, i) => {
			const pen = pens[i];
			const current = this.#series.get(pen.path);
			if (!current) return;
			if (!r.ok) {
				failed = r.key;
				return;
			}
			raw &&= r.raw;
			this.#series.set(pen.path, mergeHistory(scaleSeries(r.series, pen.scale), current, to));
		});
		this.errorKey = failed;
		this.loaded = { from, to, raw };
		this.loading = false;
		this.#changed();
	}

	/** Adds a live value (as stored; the pen's scale is applied). Ignored unless newer than the pen's last sample. */
	append(path: string, ts: number, value: number | null): void {
		const s = this.#series.get(path);
		if (!s) return;
		const pen = this.#pens.find((p) => p.path === path);
		const v = value === null ? null : value * (pen?.scale ?? 1);
		if (appendSample(s, ts, v)) this.#changed();
	}

	/** Drops samples before `cutoff` (epoch ms), keeping each pen's last one before it. */
	trim(cutoff: number): void {
		let dropped = 0;
		for (const s of this.#series.values()) dropped += trimBefore(s, cutoff);
		if (dropped > 0) this.#changed();
	}

	series(path: string): Series | undefined {
		return this.#series.get(path);
	}

	/** Every pen's samples on one time axis, in pen order (cached per version). */
	aligned(): Aligned {
		const version = this.version;
		if (this.#aligned?.version !== version) {
			this.#aligned = { version, data: alignSeries(this.#pens.map((p) => this.#series.get(p.path) ?? emptySeries())) };
		}
		return this.#aligned.data;
	}

	/** Samples held over all pens. */
	get pointCount(): number {
		void this.version;
		let n = 0;
		for (const s of this.#series.values()) n += s.ts.length;
		return n;
	}

	/** Newest sample time over all pens, or null. */
	get lastTs(): number | null {
		void this.version;
		let last: number | null = null;
		for (const s of this.#series.values()) if (s.ts.length) last = Math.max(last ?? -Infinity, s.ts[s.ts.length - 1]);
		return last;
	}

	/** Stops a running load (the component goes away). */
	dispose(): void {
		this.#request++;
		this.#abort?.abort();
		this.#abort = null;
	}

	#changed(): void {
		this.version++;
	}
}
