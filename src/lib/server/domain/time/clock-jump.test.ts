import { describe, expect, test } from 'vitest';
import { CLOCK_JUMP_THRESHOLD_MS, clockJump } from './clock-jump';

const T = Date.UTC(2026, 10, 24);

describe('clockJump', () => {
	test.each([
		['both clocks moved 5 s', 5000, 5000, 0],
		['a stalled event loop: both moved 40 s', 40_000, 40_000, 0],
		['an NTP correction of 2 s', 7000, 5000, 0],
		['set one hour ahead', 3600_000 + 5000, 5000, 3600_000],
		['set one hour back', -3600_000 + 5000, 5000, -3600_000],
		['ten years ahead', 3650 * 86_400_000, 0, 3650 * 86_400_000]
	])('%s', (_what, wallMoved, monoMoved, jump) => {
		expect(clockJump({ wall: T, mono: 100 }, { wall: T + wallMoved, mono: 100 + monoMoved })).toBe(jump);
	});

	test('the threshold is exclusive', () => {
		expect(clockJump({ wall: T, mono: 0 }, { wall: T + CLOCK_JUMP_THRESHOLD_MS, mono: 0 })).toBe(0);
		expect(clockJump({ wall: T, mono: 0 }, { wall: T + CLOCK_JUMP_THRESHOLD_MS + 1, mono: 0 })).toBe(CLOCK_JUMP_THRESHOLD_MS + 1);
	});
});
