import { describe, expect, test } from 'vitest';
import { isRefusal, LoginLimiter, type LoginAttempt } from './login-limiter';

const limits = { maxFailuresPerUser: 3, maxFailuresPerAddress: 4, slowDelayMs: 1000, maxSlowDelayMs: 8000, maxSlowedPerAddress: 2 };

function attempt(limiter: LoginLimiter, name: string, address: string, now: number): LoginAttempt {
	const result = limiter.reserve(name, address, now);
	if (isRefusal(result)) throw new Error(`refused: ${result.refused}`);
	return result;
}

describe('LoginLimiter', () => {
	test('past the address budget attempts wait before their hash, the delay doubling up to its ceiling', () => {
		const limiter = new LoginLimiter(limits);
		const delays: number[] = [];
		for (let i = 0; i < 10; i++) {
			const a = attempt(limiter, `name${i}`, '10.0.0.1', i);
			delays.push(a.delayMs);
			limiter.finished(a);
		}
		expect(delays).toEqual([0, 0, 0, 0, 1000, 2000, 4000, 8000, 8000, 8000]);
		// Another address is not slowed; the window passes and so does the delay.
		expect(attempt(limiter, 'x', '10.0.0.2', 10).delayMs).toBe(0);
		expect(attempt(limiter, 'x', '10.0.0.1', 10 + 5 * 60_000).delayMs).toBe(0);
	});

	test('at most maxSlowedPerAddress slowed attempts at a time; each one finished frees its slot', () => {
		const limiter = new LoginLimiter(limits);
		for (let i = 0; i < 4; i++) limiter.finished(attempt(limiter, `n${i}`, '10.0.0.1', 0));
		const first = attempt(limiter, 'a', '10.0.0.1', 0);
		attempt(limiter, 'b', '10.0.0.1', 0);
		expect(limiter.reserve('c', '10.0.0.1', 0)).toEqual({ refused: 'busy' });
		limiter.finished(first);
		limiter.finished(first); // a second call for the same attempt is the caller's bug; it must not open two slots
		expect(isRefusal(limiter.reserve('c', '10.0.0.1', 0))).toBe(false);
		expect(limiter.reserve('d', '10.0.0.1', 0)).toEqual({ refused: 'busy' });
	});

	test('the per-user budget refuses, also for an address that is being slowed, and refusals are not counted', () => {
		const limiter = new LoginLimiter(limits);
		for (let i = 0; i < 3; i++) limiter.finished(attempt(limiter, 'anna', '10.0.0.1', 0));
		expect(limiter.reserve('ANNA', '10.0.0.1', 0)).toEqual({ refused: 'user' });
		limiter.finished(attempt(limiter, 'bob', '10.0.0.1', 0));
		for (let i = 0; i < 3; i++) limiter.finished(attempt(limiter, 'carl', '10.0.0.1', 0));
		expect(limiter.reserve('carl', '10.0.0.1', 0)).toEqual({ refused: 'user' });
		// 7 counted, 4 of them past the budget: the next is slowed by 2^3 s.
		expect(attempt(limiter, 'dora', '10.0.0.1', 0).delayMs).toBe(8000);
	});
});
