/** A small seeded generator (mulberry32): the same seed gives the same fuzz run, so a failure can be replayed. */
export class Random {
	#state: number;

	constructor(seed: number) {
		this.#state = seed >>> 0;
	}

	/** Uniform in [0, 1). */
	next(): number {
		let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** Integer in [min, max]. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	pick<T>(items: readonly T[]): T {
		return items[this.int(0, items.length - 1)];
	}

	bytes(length: number): Buffer {
		const out = Buffer.alloc(length);
		for (let i = 0; i < length; i++) out[i] = this.int(0, 255);
		return out;
	}

	/** Printable ASCII letters and digits. */
	word(length: number): string {
		const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
		let s = '';
		for (let i = 0; i < length; i++) s += chars[this.int(0, chars.length - 1)];
		return s;
	}
}

/** Splits `total` cases as evenly as possible over `classes`, in order. */
export function spread<C extends string>(classes: readonly C[], total: number): [C, number][] {
	const base = Math.floor(total / classes.length);
	return classes.map((c, i) => [c, base + (i < total % classes.length ? 1 : 0)]);
}
