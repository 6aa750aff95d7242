import type { OrderKpi } from '$lib/shared/kpi';

/** The window over which the production rate is measured, ms. */
export const RATE_WINDOW_MS = 10 * 60_000;
/** Shortest span of samples that gives a rate worth showing, ms. */
const MIN_RATE_SPAN_MS = 60_000;

export interface OrderInputs {
	number: string;
	product: string;
	target: number;
	good: number;
	startedAt: number | null;
	/** Readings of the order's good count, oldest first: [time, good]. */
	samples: readonly [number, number][];
}

/**
 * Progress of a work order and when it will be done at the rate of the last ten minutes. Pure.
 * @param now epoch ms
 */
export function orderProgress(o: OrderInputs, now: number): OrderKpi {
	const recent = o.samples.filter(([t]) => now - t <= RATE_WINDOW_MS);
	let ratePerMin: number | null = null;
	if (recent.length >= 2) {
		const [t0, g0] = recent[0];
		const [t1, g1] = recent[recent.length - 1];
		if (t1 - t0 >= MIN_RATE_SPAN_MS && g1 >= g0) ratePerMin = ((g1 - g0) / (t1 - t0)) * 60_000;
	}
	const remaining = Math.max(0, o.target - o.good);
	const estimatedFinish = remaining > 0 && ratePerMin !== null && ratePerMin > 0 ? Math.round(now + (remaining / ratePerMin) * 60_000) : null;
	return {
		number: o.number,
		product: o.product,
		target: o.target,
		good: o.good,
		progress: o.target > 0 ? Math.min(1, o.good / o.target) : 0,
		ratePerMin,
		estimatedFinish,
		startedAt: o.startedAt
	};
}

/** Keeps the readings of one order's good count for the rate: a new order starts afresh. */
export class OrderSamples {
	#number: string | null = null;
	#samples: [number, number][] = [];

	add(number: string, ts: number, good: number): void {
		if (number !== this.#number) {
			this.#number = number;
			this.#samples = [];
		}
		this.#samples.push([ts, good]);
		while (this.#samples.length > 2 && ts - this.#samples[0][0] > RATE_WINDOW_MS) this.#samples.shift();
	}

	get samples(): readonly [number, number][] {
		return this.#samples;
	}
}
