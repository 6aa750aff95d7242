import { describe, expect, test } from 'vitest';
import { FixedStepClock } from './clock.js';

/** Total steps taken when the runner ticks at the given wall times. */
function stepsAt(ticks: number[], speed: number, maxCatchUpSteps?: number): number {
	const clock = new FixedStepClock({ stepMs: 100, speed, startWallMs: 1_000, maxCatchUpSteps });
	let total = 0;
	for (const t of ticks) total += clock.take(t).steps;
	expect(clock.steps).toBe(total);
	return total;
}

describe('FixedStepClock', () => {
	test.each([
		{ speed: 1, elapsedMs: 10_000, steps: 100 },
		{ speed: 1, elapsedMs: 10_050, steps: 100 },
		{ speed: 60, elapsedMs: 1_000, steps: 600 },
		{ speed: 0.5, elapsedMs: 1_000, steps: 5 }
	])('speed $speed, $elapsedMs wall ms → $steps steps', ({ speed, elapsedMs, steps }) => {
		expect(stepsAt([1_000 + elapsedMs], speed)).toBe(steps);
	});

	test('timer jitter changes the batching, never the number of steps', () => {
		const regular = Array.from({ length: 100 }, (_, i) => 1_000 + (i + 1) * 100);
		const jittery = regular.map((t, i) => t + ((i * 37) % 90) - 45);
		jittery[jittery.length - 1] = regular[regular.length - 1];
		const sparse = [1_500, 4_000, 11_000];
		expect(stepsAt(regular, 60)).toBe(6_000);
		expect(stepsAt(jittery, 60)).toBe(6_000);
		expect(stepsAt(sparse, 60)).toBe(6_000);
	});

	test('a clock going backwards takes no steps', () => {
		const clock = new FixedStepClock({ stepMs: 100, speed: 1, startWallMs: 1_000 });
		expect(clock.take(2_000).steps).toBe(10);
		expect(clock.take(1_500).steps).toBe(0);
		expect(clock.take(2_100).steps).toBe(1);
	});

	test('a long stall is cut short and plant time carries on from there', () => {
		const clock = new FixedStepClock({ stepMs: 100, speed: 1, startWallMs: 0, maxCatchUpSteps: 50 });
		expect(clock.take(1_000)).toEqual({ steps: 10, dropped: 0 });
		expect(clock.take(61_000)).toEqual({ steps: 50, dropped: 550 });
		expect(clock.take(62_000)).toEqual({ steps: 10, dropped: 0 });
	});
});
