/**
 * Maps wall time to a whole number of fixed plant-time steps:
 * plant time = start + speed × elapsed wall time, rounded down to a step.
 * Timer jitter only changes how the steps are batched, never which steps happen.
 */

/** Most steps one catch-up may run; a longer backlog (a suspended laptop) is dropped, not replayed. */
export const MAX_CATCH_UP_STEPS = 36_000;

export interface FixedStepClockOptions {
	/** Plant time per step, ms. */
	stepMs: number;
	/** Plant ms per wall ms. */
	speed: number;
	/** Wall time the plant started at, ms. */
	startWallMs: number;
	maxCatchUpSteps?: number;
}

export class FixedStepClock {
	readonly #stepMs: number;
	readonly #speed: number;
	readonly #maxCatchUp: number;
	#originWallMs: number;
	#originSteps = 0;
	#steps = 0;

	constructor(options: FixedStepClockOptions) {
		this.#stepMs = options.stepMs;
		this.#speed = options.speed;
		this.#originWallMs = options.startWallMs;
		this.#maxCatchUp = options.maxCatchUpSteps ?? MAX_CATCH_UP_STEPS;
	}

	/** Steps taken so far. */
	get steps(): number {
		return this.#steps;
	}

	/**
	 * Claims the steps due by `nowWallMs`.
	 * @returns `steps` to run now, and `dropped` steps skipped because the backlog was too long
	 */
	take(nowWallMs: number): { steps: number; dropped: number } {
		const due = this.#originSteps + Math.floor(((nowWallMs - this.#originWallMs) * this.#speed) / this.#stepMs);
		let steps = Math.max(0, due - this.#steps);
		let dropped = 0;
		if (steps > this.#maxCatchUp) {
			dropped = steps - this.#maxCatchUp;
			steps = this.#maxCatchUp;
			// Rebase so that plant time carries on from here instead of chasing the lost time.
			this.#originSteps = this.#steps + steps;
			this.#originWallMs = nowWallMs;
		}
		this.#steps += steps;
		return { steps, dropped };
	}
}
