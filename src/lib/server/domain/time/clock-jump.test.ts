import { describe, expect, test } from 'vitest';
import { CLOCK_JUMP_THRESHOLD_MS, clockJump, jumpWhileDown } from './clock-jump';

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

describe('jumpWhileDown', () => {
	const HOUR = 3600_000;
	const note = { wall: T, bootId: 'boot-1', sinceBoot: 10 * HOUR };

	test.each([
		['down for an hour, clock right', T + HOUR, 11 * HOUR, null],
		['down for an hour, clock set a year ahead meanwhile', T + HOUR + 365 * 86_400_000, 11 * HOUR, { before: T, after: T + HOUR + 365 * 86_400_000, delta: 365 * 86_400_000, how: 'same-boot' }],
		['down for an hour, clock set two hours back meanwhile', T - HOUR, 11 * HOUR, { before: T, after: T - HOUR, delta: -2 * HOUR, how: 'same-boot' }]
	])('same boot: %s', (_what, wall, sinceBoot, found) => {
		expect(jumpWhileDown(note, () => null, { wall, bootId: 'boot-1', sinceBoot })).toEqual(found);
	});

	test('after a reboot a step back shows against the last note; its size is what can be seen (the time off is unknown)', () => {
		const now = { wall: T - 30 * 86_400_000, bootId: 'boot-2', sinceBoot: HOUR };
		expect(jumpWhileDown(note, () => T + HOUR, now)).toEqual({ before: T, after: now.wall, delta: now.wall - T, how: 'last-seen' });
	});

	test('without a note (a first start), against the newest row', () => {
		const now = { wall: T - 30 * 86_400_000, bootId: 'boot-2', sinceBoot: HOUR };
		expect(jumpWhileDown(null, () => T, now)).toEqual({ before: T, after: now.wall, delta: now.wall - T, how: 'last-seen' });
		expect(jumpWhileDown(null, () => now.wall + CLOCK_JUMP_THRESHOLD_MS, now)).toBeNull();
		expect(jumpWhileDown(null, () => null, now)).toBeNull();
	});

	test('after a reboot a step forward cannot be told from a long stop', () => {
		expect(jumpWhileDown(note, () => T, { wall: T + 365 * 86_400_000, bootId: 'boot-2', sinceBoot: HOUR })).toBeNull();
	});

	test('a system that names no boot finds only a step back', () => {
		const unnamed = { ...note, bootId: null };
		expect(jumpWhileDown(unnamed, () => null, { wall: T + 365 * 86_400_000, bootId: null, sinceBoot: 11 * HOUR })).toBeNull();
		expect(jumpWhileDown(unnamed, () => null, { wall: T - 365 * 86_400_000, bootId: null, sinceBoot: 11 * HOUR })).toMatchObject({ how: 'last-seen' });
	});
});
