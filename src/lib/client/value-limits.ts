/**
 * Where a process value stands against its normal band and its alarm limits: the flag it gets on screen
 * (a value past its HH limit is not just "high") and the geometry of the bar that draws band, limits and value.
 */
import { LIMIT_LEVELS, type LimitLevel, type TagView } from '$lib/shared/plant-view';

/**
 * `hh` / `ll`: at or past the HH (LL) alarm limit — the alarm engine's own test (`value >= limit`);
 * `high` / `low`: outside the normal band (or at an H/L limit) but not that far; null: normal or unknown.
 */
export type ValueLimit = 'hh' | 'high' | 'low' | 'll' | null;

/** @param value the current value in the tag's unit, null when there is none */
export function valueLimit(tag: Pick<TagView, 'range' | 'limits'>, value: number | null): ValueLimit {
	if (value === null || !Number.isFinite(value)) return null;
	const { range, limits = {} } = tag;
	if (limits.hh !== undefined && value >= limits.hh) return 'hh';
	if (limits.ll !== undefined && value <= limits.ll) return 'll';
	if ((range && value > range[1]) || (limits.h !== undefined && value >= limits.h)) return 'high';
	if ((range && value < range[0]) || (limits.l !== undefined && value <= limits.l)) return 'low';
	return null;
}

/** A limit mark on the bar, at `at` percent of its width. */
export interface LimitMark {
	level: LimitLevel;
	value: number;
	at: number;
}

export interface LimitBar {
	/** The bar's ends, in the tag's unit. */
	min: number;
	max: number;
	/** The normal band, percent of the bar's width. */
	band: { from: number; to: number } | null;
	marks: LimitMark[];
	/** The value's position (clamped to the bar), null when there is no value. */
	at: number | null;
	/** The value lies beyond the bar's end: the needle sits at the edge. */
	clamped: boolean;
}

/** Room left beyond the outermost band edge or limit, as a share of the span between them. */
export const BAR_PAD = 0.15;

/**
 * The bar for a tag with a normal range and/or limits: it spans every edge and limit plus `BAR_PAD` either
 * side, so LL and HH marks never sit on the bar's end. Null for a tag with neither.
 */
export function limitBar(tag: Pick<TagView, 'range' | 'limits'>, value: number | null): LimitBar | null {
	const limits = LIMIT_LEVELS.flatMap((level) => (tag.limits?.[level] === undefined ? [] : [{ level, value: tag.limits[level] as number }]));
	const edges = [...(tag.range ?? []), ...limits.map((l) => l.value)];
	if (edges.length === 0) return null;
	const lo = Math.min(...edges);
	const hi = Math.max(...edges);
	const pad = (hi - lo || Math.abs(hi) || 1) * BAR_PAD;
	const min = lo - pad;
	const max = hi + pad;
	const pct = (v: number) => Math.min(100, Math.max(0, ((v - min) / (max - min)) * 100));
	const has = value !== null && Number.isFinite(value);
	return {
		min,
		max,
		band: tag.range ? { from: pct(tag.range[0]), to: pct(tag.range[1]) } : null,
		marks: limits.map((l) => ({ ...l, at: pct(l.value) })),
		at: has ? pct(value) : null,
		clamped: has && (value < min || value > max)
	};
}
