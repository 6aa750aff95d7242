import { describe, expect, test } from 'vitest';
import { Backoff, backoffDelay, backoffPolicy, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';

const plain: BackoffPolicy = { initialMs: 500, maxMs: 5_000, factor: 2, jitter: 'none', resetAfterMs: 10_000 };

/** A random source that walks through `values` again and again. */
function sequence(...values: number[]): () => number {
	let i = 0;
	return () => values[i++ % values.length];
}

describe('backoffDelay', () => {
	test('grows by the factor from the first step and stops at the cap', () => {
		const delays = [0, 1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(plain, attempt, () => 0.5));
		expect(delays).toEqual([500, 1_000, 2_000, 4_000, 5_000, 5_000, 5_000]);
		expect(backoffDelay({ ...plain, factor: 3 }, 2, () => 0.5)).toBe(4_500);
	});

	test('a huge attempt count still gives the cap, not Infinity or NaN', () => {
		expect(backoffDelay(plain, 10_000, () => 0.5)).toBe(5_000);
	});

	test.each([
		['full', 0, 0],
		['full', 0.999_999, 2_000],
		['full', 0.25, 500],
		['equal', 0, 1_000],
		['equal', 0.999_999, 2_000],
		['equal', 0.5, 1_500],
		['none', 0, 2_000],
		['none', 0.999_999, 2_000]
	] as const)('%s jitter with random() = %s on a 2 s step: %s ms', (jitter, r, expected) => {
		expect(backoffDelay({ ...plain, jitter }, 2, () => r)).toBe(expected);
	});

	test.each(['full', 'equal'] as const)('%s jitter stays within its range at every step, cap included', (jitter) => {
		const random = sequence(0, 0.13, 0.5, 0.77, 0.999_999);
		for (let attempt = 0; attempt < 12; attempt++) {
			const step = Math.min(plain.maxMs, plain.initialMs * 2 ** attempt);
			for (let i = 0; i < 5; i++) {
				const d = backoffDelay({ ...plain, jitter }, attempt, random);
				expect(d).toBeGreaterThanOrEqual(jitter === 'full' ? 0 : step / 2);
				expect(d).toBeLessThanOrEqual(step);
			}
		}
	});
});

describe('Backoff', () => {
	test('each loss in a row waits longer, up to the cap', () => {
		const b = new Backoff(plain);
		expect([1, 2, 3, 4, 5, 6].map((t) => b.nextDelay(t))).toEqual([500, 1_000, 2_000, 4_000, 5_000, 5_000]);
		expect(b.attempt).toBe(6);
	});

	test('a connection that stayed up for resetAfterMs starts the next outage from the first step', () => {
		const b = new Backoff(plain);
		b.nextDelay(0);
		b.nextDelay(1_000);
		b.nextDelay(3_000);
		b.connected(10_000);
		expect(b.nextDelay(20_000)).toBe(500);
		expect(b.nextDelay(20_500)).toBe(1_000);
	});

	test('one that drops sooner keeps backing off (a server that accepts and closes at once is not hammered)', () => {
		const b = new Backoff(plain);
		expect(b.nextDelay(0)).toBe(500);
		b.connected(500);
		expect(b.nextDelay(9_499)).toBe(1_000);
		b.connected(10_000);
		expect(b.nextDelay(10_100)).toBe(2_000);
	});

	test('up time counts from the last connect only: a failed attempt in between forgets it', () => {
		const b = new Backoff(plain);
		b.connected(0);
		expect(b.nextDelay(5_000)).toBe(500);
		// Failing again 20 s after that old connect does not reset: it was not up all that time.
		expect(b.nextDelay(20_000)).toBe(1_000);
	});

	test('reset starts from the first step', () => {
		const b = new Backoff(plain);
		b.nextDelay(0);
		b.nextDelay(1);
		b.reset();
		expect(b.attempt).toBe(0);
		expect(b.nextDelay(2)).toBe(500);
	});

	test('takes its randomness from the injected source', () => {
		const b = new Backoff({ ...plain, jitter: 'full' }, sequence(0.5, 0.25));
		expect([b.nextDelay(0), b.nextDelay(1)]).toEqual([250, 250]);
	});
});

describe('backoffPolicy', () => {
	test('the defaults, with what a loop overrides; undefined keeps the default', () => {
		expect(backoffPolicy()).toEqual(DEFAULT_BACKOFF);
		expect(backoffPolicy({ initialMs: 500, maxMs: undefined })).toEqual({ ...DEFAULT_BACKOFF, initialMs: 500 });
		expect(backoffPolicy({ maxMs: 60_000 }, plain)).toEqual({ ...plain, maxMs: 60_000 });
	});
});
