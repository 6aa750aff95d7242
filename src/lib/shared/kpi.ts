/**
 * Derived KPI tags, as the OEE service publishes them (server: src/lib/server/engines/oee-service.ts).
 *
 * Per machine path M and per line path L (a line's figures are its constraint machine's):
 *   `<M|L>/_kpi/shift`        ShiftKpi — the current shift, everything
 *   `<M|L>/_kpi/oee`, `/availability`, `/performance`, `/quality`   number 0..1, or null (nothing to divide by yet)
 * Per line:
 *   `<L>/_kpi/order`          OrderKpi — the running work order and its estimated finish
 * History: `GET /api/oee?count=N` → `{ [path]: { current: ShiftKpi | null, history: ShiftKpi[] } }`, newest first.
 */
export interface ShiftKpi {
	/** `<local date>/<shift id>`, e.g. `2026-11-24/early`. */
	key: string;
	shiftId: string;
	start: number;
	end: number;
	availability: number | null;
	performance: number | null;
	quality: number | null;
	oee: number | null;
	/** Factors that came out above 100 % and were capped (the ideal rate is wrong). */
	capped: ('availability' | 'performance' | 'quality')[];
	total: number;
	good: number;
	productionRejects: number;
	startupRejects: number;
	/** Durations in ms. */
	plannedProductionMs: number;
	runTimeMs: number;
	runMs: number;
	smallStopMs: number;
	smallStops: number;
	unplannedStopMs: number;
	plannedStopMs: number;
	breakMs: number;
	/** Run time the ideal cycle does not explain (slow running), ms. */
	slowCycleMs: number;
	/** Downtime by reason code (keys are codes as strings), ms: the Pareto. */
	unplannedByReason: Record<string, number>;
	plannedByReason: Record<string, number>;
	idealCycleMs: number;
	/** Counter readings that were not plain counting (a PLC restart, a 32-bit wrap, an implausible jump). */
	counterEvents?: Partial<Record<'reset' | 'wrap' | 'jump', number>>;
}

/** `GET /api/oee?count=N`: per line and machine path, the current shift and earlier ones (newest first). */
export type OeeHistoryResponse = Record<string, { current: ShiftKpi | null; history: ShiftKpi[] }>;

export interface OrderKpi {
	number: string;
	product: string;
	target: number;
	good: number;
	/** good / target, 0..1. */
	progress: number;
	/** Good units per minute over the last 10 minutes; null until known. */
	ratePerMin: number | null;
	/** When the target will be reached at that rate (epoch ms); null when not running or already done. */
	estimatedFinish: number | null;
	startedAt: number | null;
}
