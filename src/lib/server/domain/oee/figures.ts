/**
 * OEE figures (ISO 22400-2, Vorne):
 *   Availability = run time / planned production time
 *   Performance  = ideal cycle time × total count / run time
 *   Quality      = good count / total count
 *   OEE          = Availability × Performance × Quality
 * Planned production time is scheduled time (shift minus breaks) minus planned downtime; run time is
 * planned production time minus unplanned stops.
 */
export interface OeeInputs {
	plannedProductionMs: number;
	runMs: number;
	totalCount: number;
	goodCount: number;
	idealCycleMs: number;
}

export type Factor = 'availability' | 'performance' | 'quality';

export interface OeeFigures {
	/** null when its denominator is zero (nothing planned yet, nothing run, nothing made). */
	availability: number | null;
	performance: number | null;
	quality: number | null;
	oee: number | null;
	/** Factors that came out above 100% and were capped: a sign that the input (e.g. ideal cycle time) is wrong. */
	capped: Factor[];
}

export function oeeFigures(i: OeeInputs): OeeFigures {
	const capped: Factor[] = [];
	const ratio = (factor: Factor, num: number, den: number): number | null => {
		if (!(den > 0)) return null;
		const r = Math.max(0, num / den);
		if (r > 1 + 1e-9) {
			capped.push(factor);
			return 1;
		}
		return Math.min(1, r);
	};
	const availability = ratio('availability', i.runMs, i.plannedProductionMs);
	const performance = ratio('performance', i.idealCycleMs * i.totalCount, i.runMs);
	const quality = ratio('quality', i.goodCount, i.totalCount);
	const oee = availability === null || performance === null || quality === null ? null : availability * performance * quality;
	return { availability, performance, quality, oee, capped };
}
