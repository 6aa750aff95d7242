import { describe, expect, test } from 'vitest';
import { Rng, deriveSeed } from './prng.js';

describe('Rng', () => {
	test('same state, same sequence; the state is all there is', () => {
		const a = new Rng(42);
		const b = new Rng(42);
		const seqA = Array.from({ length: 100 }, () => a.next());
		const seqB = Array.from({ length: 100 }, () => b.next());
		expect(seqA).toEqual(seqB);
		const c = new Rng(a.state);
		expect(c.next()).toBe(a.next());
	});

	test('uniform draws stay in [0, 1) and average about 1/2', () => {
		const rng = new Rng(7);
		let sum = 0;
		for (let i = 0; i < 10_000; i++) {
			const x = rng.next();
			expect(x).toBeGreaterThanOrEqual(0);
			expect(x).toBeLessThan(1);
			sum += x;
		}
		expect(sum / 10_000).toBeCloseTo(0.5, 1);
	});

	test('normal draws have mean ≈ 0 and sd ≈ 1', () => {
		const rng = new Rng(3);
		const xs = Array.from({ length: 20_000 }, () => rng.normal());
		const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
		const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
		expect(mean).toBeCloseTo(0, 1);
		expect(sd).toBeCloseTo(1, 1);
	});

	test.each([
		[1, 10],
		[5, 30],
		[60, 240]
	])('logUniform(%d, %d) stays in range', (lo, hi) => {
		const rng = new Rng(9);
		for (let i = 0; i < 1000; i++) {
			const x = rng.logUniform(lo, hi);
			expect(x).toBeGreaterThanOrEqual(lo);
			expect(x).toBeLessThan(hi);
		}
	});

	test('weighted picks follow the weights', () => {
		const rng = new Rng(11);
		const counts = { a: 0, b: 0 };
		for (let i = 0; i < 10_000; i++) counts[rng.weighted(['a', 'b'] as const, (k) => (k === 'a' ? 3 : 1))]++;
		expect(counts.a / 10_000).toBeCloseTo(0.75, 1);
	});
});

test('deriveSeed gives distinct streams for distinct seeds and streams', () => {
	const seeds = new Set<number>();
	for (let seed = 0; seed < 50; seed++) for (let stream = 0; stream < 4; stream++) seeds.add(deriveSeed(seed, stream));
	expect(seeds.size).toBe(200);
	expect(deriveSeed(1, 0)).toBe(deriveSeed(1, 0));
});
