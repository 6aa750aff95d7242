import { DateTime } from 'luxon';
import type { ShiftConfig } from '../plant/schema';

/** One occurrence of a shift: e.g. the night shift that starts on 24 November. Times are epoch ms. */
export interface ShiftInstance {
	/** Stable key, `<local start date>/<shift id>`, e.g. `2026-11-24/night`. */
	key: string;
	shiftId: string;
	start: number;
	end: number;
	/** Breaks within the shift, in order. */
	breaks: [start: number, end: number][];
}

/**
 * The shift calendar: which shift a moment belongs to, in the plant's time zone. Shifts are local times,
 * so a night shift across a daylight-saving change lasts 7 or 9 hours, as it does on the shop floor.
 * Pure apart from reading the time zone rules.
 */
export class ShiftCalendar {
	/** Instances by `<local date>/<shift id>`: time zone arithmetic is the slow part, and the same few repeat. */
	readonly #instances = new Map<string, ShiftInstance>();
	/** The stretch between two consecutive boundaries that the last query fell in: most queries land in it again. */
	#segment: { from: number; to: number } | null = null;
	#last: ShiftInstance | null = null;

	constructor(
		private readonly shifts: readonly ShiftConfig[],
		private readonly zone: string
	) {}

	/** The shift instance containing `ts`, or null when no shift is scheduled then. */
	shiftAt(ts: number): ShiftInstance | null {
		if (this.#last && ts >= this.#last.start && ts < this.#last.end) return this.#last;
		const found = this.#findShift(ts);
		if (found) this.#last = found;
		return found;
	}

	#findShift(ts: number): ShiftInstance | null {
		const local = DateTime.fromMillis(ts, { zone: this.zone });
		// A shift that contains ts started today or (past midnight) yesterday.
		for (const day of [local.startOf('day'), local.startOf('day').minus({ days: 1 })]) {
			for (const shift of this.shifts) {
				const instance = this.#instance(shift, day);
				if (ts >= instance.start && ts < instance.end) return instance;
			}
		}
		return null;
	}

	/** The shift instance that follows the one containing (or the gap around) `ts`. */
	nextShiftAfter(ts: number): ShiftInstance {
		const local = DateTime.fromMillis(ts, { zone: this.zone });
		let best: ShiftInstance | null = null;
		for (const day of [local.startOf('day'), local.startOf('day').plus({ days: 1 })]) {
			for (const shift of this.shifts) {
				const instance = this.#instance(shift, day);
				if (instance.start > ts && (!best || instance.start < best.start)) best = instance;
			}
		}
		return best!;
	}

	/** The last `count` shift instances that ended at or before `ts`, newest first. */
	previousShifts(ts: number, count: number): ShiftInstance[] {
		const result: ShiftInstance[] = [];
		let day = DateTime.fromMillis(ts, { zone: this.zone }).startOf('day');
		while (result.length < count) {
			const ended = this.shifts.map((s) => this.#instance(s, day)).filter((i) => i.end <= ts).sort((a, b) => b.start - a.start);
			for (const i of ended) if (result.length < count && !result.some((r) => r.key === i.key)) result.push(i);
			day = day.minus({ days: 1 });
		}
		return result;
	}

	/** Every moment in (a, b) where a shift or break starts or ends, in order: where intervals must be split. */
	boundariesBetween(a: number, b: number): number[] {
		if (this.#segment && a >= this.#segment.from && b <= this.#segment.to) return [];
		const points = this.#boundariesBetween(a, b);
		if (points.length === 0) {
			const around = this.#boundariesBetween(a - 2 * 86_400_000, b + 2 * 86_400_000);
			this.#segment = { from: Math.max(...around.filter((t) => t <= a)), to: Math.min(...around.filter((t) => t >= b)) };
		}
		return points;
	}

	#boundariesBetween(a: number, b: number): number[] {
		const points = new Set<number>();
		let day = DateTime.fromMillis(a, { zone: this.zone }).startOf('day').minus({ days: 1 });
		const lastDay = DateTime.fromMillis(b, { zone: this.zone }).startOf('day');
		while (day <= lastDay) {
			for (const shift of this.shifts) {
				const i = this.#instance(shift, day);
				for (const t of [i.start, i.end, ...i.breaks.flat()]) if (t > a && t < b) points.add(t);
			}
			day = day.plus({ days: 1 });
		}
		return [...points].sort((x, y) => x - y);
	}

	/** Whether `ts` falls in a break of its shift. */
	inBreak(instance: ShiftInstance, ts: number): boolean {
		return instance.breaks.some(([s, e]) => ts >= s && ts < e);
	}

	/** Scheduled time of a shift instance: its length minus its breaks, ms. */
	static scheduledMs(instance: ShiftInstance): number {
		return instance.end - instance.start - instance.breaks.reduce((sum, [s, e]) => sum + (e - s), 0);
	}

	#instance(shift: ShiftConfig, day: DateTime): ShiftInstance {
		const key = `${day.toISODate()}/${shift.id}`;
		let instance = this.#instances.get(key);
		if (!instance) {
			instance = this.#build(shift, day, key);
			if (this.#instances.size > 1000) this.#instances.clear();
			this.#instances.set(key, instance);
		}
		return instance;
	}

	#build(shift: ShiftConfig, day: DateTime, key: string): ShiftInstance {
		const at = (hhmm: string, base: DateTime) => {
			const [h, m] = hhmm.split(':').map(Number);
			return base.set({ hour: h, minute: m, second: 0, millisecond: 0 });
		};
		const start = at(shift.start, day);
		let end = at(shift.end, day);
		if (end <= start) end = at(shift.end, day.plus({ days: 1 }));
		const breaks = shift.breaks.map(({ start: bs, end: be }): [number, number] => {
			// A break belongs to the shift: after midnight in a night shift it is on the next day.
			let s = at(bs, day);
			if (s < start) s = at(bs, day.plus({ days: 1 }));
			let e = at(be, s.startOf('day'));
			if (e <= s) e = at(be, s.startOf('day').plus({ days: 1 }));
			return [s.toMillis(), e.toMillis()];
		});
		return { key, shiftId: shift.id, start: start.toMillis(), end: end.toMillis(), breaks };
	}
}
