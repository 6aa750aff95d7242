import { counterDelta, type CounterChange } from './counters';
import { ShiftCalendar, type ShiftInstance } from './calendar';
import { oeeFigures, type OeeFigures } from './figures';

/** How a stretch of machine time counts. */
export type TimeClass = 'run' | 'planned' | 'unplanned';

export interface TrackerSettings {
	idealCycleMs: number;
	/** Unplanned stops shorter than this are small stops (performance loss). */
	smallStopMs: number;
	/** Rejects within this time after a restart are start-up rejects. */
	startupMs: number;
	runningStates: ReadonlySet<string>;
	/** Reason codes of planned stops (breaks, cleaning, planned maintenance). */
	plannedReasons: ReadonlySet<number>;
	/** Whether a changeover is planned downtime (ISO 22400-2) or an availability loss (common practice). */
	changeoverAs: 'availability_loss' | 'planned_downtime';
}

/** Everything counted for one machine in one shift. Durations in ms. */
export interface ShiftTotals {
	key: string;
	shiftId: string;
	start: number;
	end: number;
	/** Running, not counting small stops. */
	runMs: number;
	/** Unplanned stops shorter than the small-stop threshold (count as run time, a performance loss). */
	smallStopMs: number;
	smallStops: number;
	/** Unplanned stops (availability loss), in all and by reason code. */
	unplannedStopMs: number;
	unplannedByReason: Record<string, number>;
	/** Planned downtime (not in planned production time), in all and by reason code. */
	plannedStopMs: number;
	plannedByReason: Record<string, number>;
	/** Time in breaks: left out of planned production time. */
	breakMs: number;
	total: number;
	good: number;
	/** Rejects within the start-up window after a restart (the rest are production rejects). */
	startupRejects: number;
	/** Counter readings that were not plain counting. */
	counterEvents: Partial<Record<Exclude<CounterChange, 'count'>, number>>;
}

/** Figures and losses of one machine in one shift. */
export interface ShiftReport extends ShiftTotals, OeeFigures {
	/** Rejects in normal production: all rejects but the start-up ones. */
	productionRejects: number;
	plannedProductionMs: number;
	/** Run time as OEE sees it: running plus small stops. */
	runTimeMs: number;
	/** Performance loss beyond small stops: run time the ideal cycle does not explain. */
	slowCycleMs: number;
	idealCycleMs: number;
}

interface OpenStop {
	start: number;
	/** Where its time went, so a stop that turns out short can be moved to small stops. */
	pieces: { key: string; ms: number; reason: string }[];
}

/**
 * Tracks one machine's time and counts into shifts, from its state changes and counter readings. Pure:
 * every call carries its time. Intervals are split exactly at shift and break boundaries; counts between
 * two readings are shared between shifts in proportion to the time on each side.
 */
export class MachineOeeTracker {
	readonly #shifts = new Map<string, ShiftTotals>();
	#class: TimeClass | null = null;
	#reason = '0';
	/** Time accounted up to. */
	#since = 0;
	/** When the current class of time began. */
	#classSince = 0;
	#stop: OpenStop | null = null;
	#lastRestart = Number.NEGATIVE_INFINITY;
	#counters: { ts: number; total: number; good: number } | null = null;
	/** Shifts that ended before this are closed: late data for them is dropped, never starts them anew. */
	#closedBefore = Number.NEGATIVE_INFINITY;

	constructor(
		private readonly calendar: ShiftCalendar,
		private readonly settings: TrackerSettings
	) {}

	/** How a machine state (and its reason code) counts. */
	classify(state: string, reasonCode: number): TimeClass {
		if (this.settings.runningStates.has(state)) return 'run';
		if (state === 'planned_stop' || this.settings.plannedReasons.has(reasonCode)) return 'planned';
		if (state === 'changeover') return this.settings.changeoverAs === 'planned_downtime' ? 'planned' : 'unplanned';
		return 'unplanned';
	}

	/**
	 * The machine changed state at `ts`. Events should come in time order; one older than the time already
	 * counted is taken as happening now, so no time is ever counted twice.
	 */
	onState(at: number, state: string, reasonCode: number): void {
		const ts = this.#class === null ? at : Math.max(at, this.#since);
		const next = this.classify(state, reasonCode);
		const reason = String(reasonCode);
		if (this.#class !== null) this.advance(ts);
		if (next === this.#class && reason === this.#reason) return;
		if (this.#class === 'unplanned' && next !== 'unplanned') this.#endStop(ts);
		// Back to running after more than a small stop: a restart, whose first rejects are start-up rejects.
		if (next === 'run' && this.#class !== null && this.#class !== 'run' && ts - this.#classSince >= this.settings.smallStopMs)
			this.#lastRestart = ts;
		if (next === 'unplanned' && this.#class !== 'unplanned') this.#stop = { start: ts, pieces: [] };
		if (next !== this.#class) this.#classSince = ts;
		this.#class = next;
		this.#reason = reason;
		this.#since = ts;
	}

	/**
	 * A reading of the machine's total and good counters at `ts`. The two move independently (a source may
	 * send them as separate messages), so neither is clamped to the other here; rejects are worked out
	 * from the shift's totals.
	 */
	onCounters(ts: number, total: number, good: number): void {
		const previous = this.#counters;
		this.#counters = { ts, total, good };
		if (!previous || ts <= previous.ts) return;
		// The machine cannot make more than its ideal rate allows (with a margin for timestamp jitter).
		const maxPlausible = Math.ceil(((ts - previous.ts) / this.settings.idealCycleMs) * 1.5) + 10;
		const t = counterDelta(previous.total, total, maxPlausible);
		const g = counterDelta(previous.good, good, maxPlausible);
		const startup = ts - this.#lastRestart < this.settings.startupMs;
		for (const { totals, counts } of this.#share(previous.ts, ts, [t.delta, g.delta])) {
			const [tot, gd] = counts;
			totals.total += tot;
			totals.good += gd;
			if (startup) totals.startupRejects += Math.max(0, tot - gd);
		}
		for (const change of new Set([t.change, g.change])) {
			if (change === 'count') continue;
			const totals = this.#totalsAt(ts);
			if (totals) totals.counterEvents[change] = (totals.counterEvents[change] ?? 0) + 1;
		}
	}

	/** Counts the current state's time up to `ts` (call it periodically so live figures move). */
	advance(ts: number): void {
		if (this.#class === null || ts <= this.#since) return;
		this.#account(this.#since, ts, this.#class, this.#reason);
		this.#since = ts;
	}

	/** The source went down at `ts`: count nothing until it reports again (that time is simply not known). */
	lostContact(ts: number): void {
		this.advance(ts);
		if (this.#class === 'unplanned') this.#endStop(ts);
		this.#class = null;
		this.#counters = null;
	}

	/** The report of one shift, or undefined when nothing was recorded in it. */
	report(key: string): ShiftReport | undefined {
		const t = this.#shifts.get(key);
		return t && toReport(t, this.settings.idealCycleMs);
	}

	/** Reports of every shift with data, oldest first. */
	reports(): ShiftReport[] {
		return [...this.#shifts.values()].sort((a, b) => a.start - b.start).map((t) => toReport(t, this.settings.idealCycleMs));
	}

	/** Continues a shift from stored totals (after a restart; the time in between is not known). */
	restore(totals: ShiftTotals): void {
		this.#shifts.set(totals.key, structuredClone(totals));
	}

	/** The raw totals of a shift, for storing. */
	totals(key: string): ShiftTotals | undefined {
		return this.#shifts.get(key);
	}

	/** Closes and forgets shifts that ended at or before `ts` (once they are stored for good). */
	forgetBefore(ts: number): void {
		this.#closedBefore = Math.max(this.#closedBefore, ts);
		for (const [key, t] of this.#shifts) if (t.end <= ts) this.#shifts.delete(key);
	}

	#endStop(ts: number): void {
		const stop = this.#stop;
		this.#stop = null;
		if (!stop || ts - stop.start >= this.settings.smallStopMs) return;
		// Short: it was a small stop all along. Move its time from unplanned stops to small stops.
		const counted = new Set<string>();
		for (const piece of stop.pieces) {
			const totals = this.#shifts.get(piece.key)!;
			totals.unplannedStopMs -= piece.ms;
			totals.unplannedByReason[piece.reason] -= piece.ms;
			if (totals.unplannedByReason[piece.reason] <= 0) delete totals.unplannedByReason[piece.reason];
			totals.smallStopMs += piece.ms;
			if (!counted.has(piece.key)) {
				totals.smallStops++;
				counted.add(piece.key);
			}
		}
	}

	/** Adds [a, b) of one class to the shifts it overlaps, split at every shift and break boundary. */
	#account(a: number, b: number, cls: TimeClass, reason: string): void {
		const cuts = [a, ...this.calendar.boundariesBetween(a, b), b];
		for (let i = 0; i < cuts.length - 1; i++) {
			const [from, to] = [cuts[i], cuts[i + 1]];
			const shift = this.calendar.shiftAt(from);
			const totals = shift && this.#totals(shift);
			if (!shift || !totals) continue;
			const ms = to - from;
			if (this.calendar.inBreak(shift, from)) totals.breakMs += ms;
			else if (cls === 'run') totals.runMs += ms;
			else if (cls === 'planned') {
				totals.plannedStopMs += ms;
				totals.plannedByReason[reason] = (totals.plannedByReason[reason] ?? 0) + ms;
			} else {
				totals.unplannedStopMs += ms;
				totals.unplannedByReason[reason] = (totals.unplannedByReason[reason] ?? 0) + ms;
				this.#stop?.pieces.push({ key: shift.key, ms, reason });
			}
		}
	}

	/**
	 * Shares counts made during [a, b) between the shifts it overlaps, in proportion to the time in each,
	 * in whole units that add up exactly (largest remainder).
	 */
	#share(a: number, b: number, counts: number[]): { totals: ShiftTotals; counts: number[] }[] {
		const cuts = [a, ...this.calendar.boundariesBetween(a, b).filter((t) => this.calendar.shiftAt(t - 1)?.key !== this.calendar.shiftAt(t)?.key), b];
		const parts: { shift: ShiftInstance | null; ms: number }[] = [];
		for (let i = 0; i < cuts.length - 1; i++) parts.push({ shift: this.calendar.shiftAt(cuts[i]), ms: cuts[i + 1] - cuts[i] });
		const span = b - a;
		const result = parts.filter((p) => p.shift).map((p) => ({ totals: this.#totals(p.shift!), counts: counts.map(() => 0), ms: p.ms }));
		counts.forEach((count, c) => {
			const exact = parts.map((p) => (count * p.ms) / span);
			const whole = exact.map(Math.floor);
			let left = count - whole.reduce((s, x) => s + x, 0);
			const order = exact.map((x, i) => [x - Math.floor(x), i]).sort((x, y) => y[0] - x[0] || x[1] - y[1]);
			for (const [, i] of order) if (left-- > 0) whole[i]++;
			let r = 0;
			parts.forEach((p, i) => {
				if (p.shift) result[r++].counts[c] = whole[i];
			});
		});
		return result.filter((x): x is { totals: ShiftTotals; counts: number[]; ms: number } => x.totals !== undefined);
	}

	#totalsAt(ts: number): ShiftTotals | undefined {
		const shift = this.calendar.shiftAt(ts);
		return shift ? this.#totals(shift) : undefined;
	}

	/** The totals of a shift, started on first use; undefined for a closed shift. */
	#totals(shift: ShiftInstance): ShiftTotals | undefined {
		let totals = this.#shifts.get(shift.key);
		if (!totals) {
			if (shift.end <= this.#closedBefore) return undefined;
			totals = {
				key: shift.key,
				shiftId: shift.shiftId,
				start: shift.start,
				end: shift.end,
				runMs: 0,
				smallStopMs: 0,
				smallStops: 0,
				unplannedStopMs: 0,
				unplannedByReason: {},
				plannedStopMs: 0,
				plannedByReason: {},
				breakMs: 0,
				total: 0,
				good: 0,
				startupRejects: 0,
				counterEvents: {}
			};
			this.#shifts.set(shift.key, totals);
		}
		return totals;
	}
}

/** Figures and derived losses from a shift's totals. */
export function toReport(t: ShiftTotals, idealCycleMs: number): ShiftReport {
	const runTimeMs = t.runMs + t.smallStopMs;
	const plannedProductionMs = runTimeMs + t.unplannedStopMs;
	const good = Math.min(t.good, t.total);
	const figures = oeeFigures({ plannedProductionMs, runMs: runTimeMs, totalCount: t.total, goodCount: good, idealCycleMs });
	const startupRejects = Math.min(t.startupRejects, t.total - good);
	return {
		...t,
		good,
		startupRejects,
		productionRejects: t.total - good - startupRejects,
		...figures,
		plannedProductionMs,
		runTimeMs,
		slowCycleMs: Math.max(0, t.runMs - idealCycleMs * t.total),
		idealCycleMs
	};
}
