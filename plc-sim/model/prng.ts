/**
 * Seeded pseudo-random numbers for the plant model (mulberry32: 32-bit state, period 2^32).
 * The whole generator state is one unsigned integer, so it lives inside the plant snapshot and a
 * snapshot alone determines everything that happens next.
 */
export class Rng {
	state: number;

	constructor(state: number) {
		this.state = state >>> 0;
	}

	/** Uniform in [0, 1). */
	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** Uniform in [lo, hi). */
	uniform(lo: number, hi: number): number {
		return lo + (hi - lo) * this.next();
	}

	/**
	 * Log-uniform in [lo, hi): short durations are more common than long ones, as with real stops.
	 * Both bounds must be positive.
	 */
	logUniform(lo: number, hi: number): number {
		return lo * Math.pow(hi / lo, this.next());
	}

	/** Standard normal (Box–Muller, one of the pair). */
	normal(): number {
		const u1 = 1 - this.next(); // (0, 1]: log(0) must not happen
		const u2 = this.next();
		return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
	}

	/** True with probability `p`. */
	chance(p: number): boolean {
		return this.next() < p;
	}

	/** One of `items`, chosen with probability proportional to `weight(item)`. */
	weighted<T>(items: readonly T[], weight: (item: T) => number): T {
		const total = items.reduce((sum, item) => sum + weight(item), 0);
		let r = this.next() * total;
		for (const item of items) {
			r -= weight(item);
			if (r < 0) return item;
		}
		return items[items.length - 1];
	}
}

/**
 * A well-mixed 32-bit seed for an independent stream (one per line), derived from the user's seed
 * (splitmix32-style finaliser), so that neighbouring seeds give unrelated stories.
 */
export function deriveSeed(seed: number, stream: number): number {
	let z = (Math.imul(seed >>> 0, 0x9e3779b1) + Math.imul(stream + 1, 0x85ebca6b)) >>> 0;
	z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
	z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
	return (z ^ (z >>> 15)) >>> 0;
}
