/**
 * What the KPI screen makes of the OEE service's figures (`$lib/shared/kpi`): reading the live `_kpi` tags
 * safely, the downtime Pareto, the loss buckets, and the recent-shifts history. Pure; formatting is in
 * `kpi-format.ts`, the HTTP side in `kpi-api.ts`.
 */
import type { OrderKpi, ShiftKpi } from '$lib/shared/kpi';
import { KPI_SEGMENT } from '$lib/shared/uns-path';
import { localText, type Lang } from '$lib/shared/languages';
import type { LineView, PlantView } from '$lib/shared/plant-view';

export type Factor = 'availability' | 'performance' | 'quality';
export const FACTORS: readonly Factor[] = ['availability', 'performance', 'quality'];
export type Figure = Factor | 'oee';

/**
 * Where each figure's target marker sits: the usual "world class" figures (Nakajima; A 90 %, P 95 %,
 * Q 99.9 %, OEE 85 %). The plant model has no targets of its own yet; these are a reference line, not an
 * alarm limit, so bars are never coloured by them.
 */
export const DEFAULT_TARGETS: Readonly<Record<Figure, number>> = {
	oee: 0.85,
	availability: 0.9,
	performance: 0.95,
	quality: 0.999
};

/** Earlier shifts the history chart shows beside the current one. */
export const HISTORY_SHIFTS = 9;
/** Reasons the Pareto lists on a line panel and on a machine card before summing up the rest. */
export const PARETO_LINE_LIMIT = 5;
export const PARETO_MACHINE_LIMIT = 3;

/** Paths of the derived KPI tags of a machine or line path. */
export const kpiPath = {
	shift: (path: string) => `${path}/${KPI_SEGMENT}/shift`,
	order: (linePath: string) => `${linePath}/${KPI_SEGMENT}/order`
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const ratio = (v: unknown): number | null => (isNum(v) ? v : null);
const num = (v: unknown): number => (isNum(v) ? v : 0);
function msByReason(v: unknown): Record<string, number> {
	if (!isObject(v)) return {};
	const out: Record<string, number> = {};
	for (const [code, ms] of Object.entries(v)) if (isNum(ms)) out[code] = ms;
	return out;
}

/**
 * A `_kpi/shift` value (or an API row) as a `ShiftKpi`, or null when it is not one. Missing numbers become
 * 0 and missing figures null, so a server that adds or drops a field does not break the screen.
 */
export function asShiftKpi(v: unknown): ShiftKpi | null {
	if (!isObject(v) || typeof v.key !== 'string' || !isNum(v.start) || !isNum(v.end)) return null;
	const capped = Array.isArray(v.capped) ? v.capped.filter((f): f is Factor => (FACTORS as readonly unknown[]).includes(f)) : [];
	return {
		key: v.key,
		shiftId: typeof v.shiftId === 'string' ? v.shiftId : (v.key.split('/')[1] ?? ''),
		start: v.start,
		end: v.end,
		availability: ratio(v.availability),
		performance: ratio(v.performance),
		quality: ratio(v.quality),
		oee: ratio(v.oee),
		capped,
		total: num(v.total),
		good: num(v.good),
		productionRejects: num(v.productionRejects),
		startupRejects: num(v.startupRejects),
		plannedProductionMs: num(v.plannedProductionMs),
		runTimeMs: num(v.runTimeMs),
		runMs: num(v.runMs),
		smallStopMs: num(v.smallStopMs),
		smallStops: num(v.smallStops),
		unplannedStopMs: num(v.unplannedStopMs),
		plannedStopMs: num(v.plannedStopMs),
		breakMs: num(v.breakMs),
		slowCycleMs: num(v.slowCycleMs),
		unplannedByReason: msByReason(v.unplannedByReason),
		plannedByReason: msByReason(v.plannedByReason),
		idealCycleMs: num(v.idealCycleMs)
	};
}

/** A `_kpi/order` value as an `OrderKpi`, or null when it is not one. */
export function asOrderKpi(v: unknown): OrderKpi | null {
	if (!isObject(v) || typeof v.number !== 'string' || !isNum(v.target) || !isNum(v.good)) return null;
	return {
		number: v.number,
		product: typeof v.product === 'string' ? v.product : '',
		target: v.target,
		good: v.good,
		progress: isNum(v.progress) ? v.progress : v.target > 0 ? Math.min(1, v.good / v.target) : 0,
		ratePerMin: ratio(v.ratePerMin),
		estimatedFinish: ratio(v.estimatedFinish),
		startedAt: ratio(v.startedAt)
	};
}

/** All rejects of a shift (production and start-up). */
export function rejectsOf(s: Pick<ShiftKpi, 'total' | 'good'>): number {
	return Math.max(0, s.total - s.good);
}

export interface ParetoEntry {
	/** Reason code. */
	code: number;
	/** Unplanned stops are availability losses; planned ones are outside planned production time. */
	kind: 'unplanned' | 'planned';
	ms: number;
	/** Length relative to the longest entry, 0..1 (the bar). */
	share: number;
}

export interface Pareto {
	entries: ParetoEntry[];
	/** What did not fit under the limit: how many reasons and how long together. */
	rest: { count: number; ms: number };
	totalMs: number;
}

/**
 * Downtime of a shift by reason, longest first (ties: unplanned first, then by code). Unplanned and
 * planned time for the same code are separate entries: they are different losses.
 * @param limit entries to list; the rest is summed
 */
export function downtimePareto(
	s: Pick<ShiftKpi, 'unplannedByReason' | 'plannedByReason'>,
	limit = Number.POSITIVE_INFINITY
): Pareto {
	const all: Omit<ParetoEntry, 'share'>[] = [];
	const add = (kind: ParetoEntry['kind'], byReason: Record<string, number>) => {
		for (const [code, ms] of Object.entries(byReason)) {
			const c = Number(code);
			if (Number.isInteger(c) && isNum(ms) && ms > 0) all.push({ code: c, kind, ms });
		}
	};
	add('unplanned', s.unplannedByReason);
	add('planned', s.plannedByReason);
	all.sort((a, b) => b.ms - a.ms || (a.kind === b.kind ? 0 : a.kind === 'unplanned' ? -1 : 1) || a.code - b.code);
	const longest = all[0]?.ms ?? 0;
	const shown = all.slice(0, Math.max(0, limit));
	const hidden = all.slice(shown.length);
	return {
		entries: shown.map((e) => ({ ...e, share: longest > 0 ? e.ms / longest : 0 })),
		rest: { count: hidden.length, ms: hidden.reduce((sum, e) => sum + e.ms, 0) },
		totalMs: all.reduce((sum, e) => sum + e.ms, 0)
	};
}

export type LossId = 'unplanned' | 'planned' | 'smallStops' | 'slowCycles' | 'productionRejects' | 'startupRejects';

/** One loss bucket: time lost (ms), a count (rejects), or both (small stops). */
export interface LossBucket {
	id: LossId;
	ms: number | null;
	count: number | null;
}

/** The six loss buckets of a shift, in the order of the OEE factors they lower (A, P, Q). */
export function lossBuckets(s: ShiftKpi): LossBucket[] {
	return [
		{ id: 'unplanned', ms: s.unplannedStopMs, count: null },
		{ id: 'planned', ms: s.plannedStopMs, count: null },
		{ id: 'smallStops', ms: s.smallStopMs, count: s.smallStops },
		{ id: 'slowCycles', ms: s.slowCycleMs, count: null },
		{ id: 'productionRejects', ms: null, count: s.productionRejects },
		{ id: 'startupRejects', ms: null, count: s.startupRejects }
	];
}

/** One bar of the recent-shifts chart. */
export interface HistoryBar {
	key: string;
	shiftId: string;
	start: number;
	end: number;
	oee: number | null;
	availability: number | null;
	performance: number | null;
	quality: number | null;
	/** The shift that is running now (its figures still change). */
	current: boolean;
}

/** The API's answer for one path: the current shift and earlier ones, newest first. */
export interface OeeHistoryEntry {
	current: ShiftKpi | null;
	history: ShiftKpi[];
}

/**
 * The bars for the history chart, oldest first: up to `count` earlier shifts and the current one. The live
 * shift (when there is one) replaces what the API said about the same shift, and once the shift has
 * changed, the API's "current" shift counts as an earlier one until the history is fetched again.
 * @param count earlier shifts to keep
 */
export function shiftHistory(entry: OeeHistoryEntry | null | undefined, live: ShiftKpi | null, count = HISTORY_SHIFTS): HistoryBar[] {
	const byKey = new Map<string, ShiftKpi>();
	const put = (s: unknown) => {
		const k = asShiftKpi(s);
		if (k) byKey.set(k.key, k);
	};
	for (const s of entry?.history ?? []) put(s);
	put(entry?.current);
	put(live);
	const currentKey = live?.key ?? asShiftKpi(entry?.current)?.key ?? null;
	const sorted = [...byKey.values()].sort((a, b) => a.start - b.start);
	const cut = currentKey === null ? sorted.length : sorted.findIndex((s) => s.key === currentKey) + 1;
	const kept = sorted.slice(Math.max(0, cut - (count + (currentKey === null ? 0 : 1))), cut);
	return kept.map((s) => ({
		key: s.key,
		shiftId: s.shiftId,
		start: s.start,
		end: s.end,
		oee: s.oee,
		availability: s.availability,
		performance: s.performance,
		quality: s.quality,
		current: s.key === currentKey
	}));
}

/** The shift's name in the user's language (English when the plant gave none), or its id when unknown. */
export function shiftLabel(plant: Pick<PlantView, 'shifts'>, shiftId: string, lang: Lang): string {
	const shift = plant.shifts.find((s) => s.id === shiftId);
	return shift ? localText(shift.label, lang) || shiftId : shiftId;
}

/** The line a `?line=` parameter names, or null when it names none. */
export function selectedLine(plant: Pick<PlantView, 'lines'>, param: string | null): LineView | null {
	return (param && plant.lines.find((l) => l.id === param)) || null;
}
