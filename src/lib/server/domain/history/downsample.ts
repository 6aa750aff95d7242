/**
 * Downsampling for trends that keeps what an operator must see: per time bucket the first, the lowest,
 * the highest and the last sample (the M4 method), in time order. A spike therefore always survives, and a
 * chart of the result looks like a chart of all the data at that width. Pure, allocation-light: it works on
 * typed arrays and returns indexes into them.
 */

/**
 * Indexes of the samples to keep so that at most `maxPoints` remain. Samples must be sorted by time.
 * When there are no more than `maxPoints` samples, all are kept.
 * @param ts sample times (epoch ms), ascending
 * @param values sample values (NaN = no value; never chosen as min or max)
 * @param from start of the range, ms
 * @param to end of the range, ms (exclusive)
 * @param maxPoints at most this many indexes are returned (≥ 4)
 */
export function downsampleIndexes(ts: ArrayLike<number>, values: ArrayLike<number>, from: number, to: number, maxPoints: number): Uint32Array {
	const n = ts.length;
	if (n <= maxPoints) return Uint32Array.from({ length: n }, (_, i) => i);
	const buckets = Math.max(1, Math.floor(maxPoints / 4));
	const width = (to - from) / buckets;
	const out = new Uint32Array(buckets * 4);
	let count = 0;
	let i = 0;
	for (let b = 0; b < buckets && i < n; b++) {
		const end = b === buckets - 1 ? Number.POSITIVE_INFINITY : from + (b + 1) * width;
		if (ts[i] >= end) continue;
		const first = i;
		let min = -1;
		let max = -1;
		for (; i < n && ts[i] < end; i++) {
			const v = values[i];
			if (v !== v) continue; // NaN
			if (min < 0 || v < values[min]) min = i;
			if (max < 0 || v > values[max]) max = i;
		}
		const last = i - 1;
		// Emit in time order, each index once.
		const picks = [first, min, max, last].filter((x) => x >= 0).sort((a, b) => a - b);
		for (let k = 0; k < picks.length; k++) if (k === 0 || picks[k] !== picks[k - 1]) out[count++] = picks[k];
	}
	return out.slice(0, count);
}
