/** A process value that follows a wandering target, is disturbed now and then, and is read with noise. */
import type { ProcessParams } from './params.js';
import type { Rng } from './prng.js';
import type { ProcessValueState } from './state.js';

export function initialProcessValue(setpoint: number): ProcessValueState {
	return { value: setpoint, drift: 0, excursion: null, reading: setpoint };
}

/**
 * Advances one process value by `dtMs` of plant time.
 * @param running whether the machine is producing (some readings only update then)
 */
export function stepProcessValue(
	pv: ProcessValueState,
	p: ProcessParams,
	dtMs: number,
	rng: Rng,
	running: boolean
): void {
	const dtS = dtMs / 1000;
	pv.drift = ornsteinUhlenbeck(pv.drift, p.driftSigma, p.driftTauS, dtS, rng);

	if (pv.excursion) {
		pv.excursion.remainingMs -= dtMs;
		if (pv.excursion.remainingMs <= 0) pv.excursion = null;
	} else if (rng.chance((p.excursionsPerHour * dtS) / 3600)) {
		const [lo, hi] = p.excursionTargets[Math.floor(rng.next() * p.excursionTargets.length)];
		pv.excursion = {
			target: rng.uniform(lo, hi),
			remainingMs: rng.logUniform(p.excursionDurationS[0], p.excursionDurationS[1]) * 1000
		};
	}

	const target = pv.excursion ? pv.excursion.target : p.setpoint + pv.drift;
	pv.value = follow(pv.value, target, p.tauS, dtS);
	const noise = rng.normal() * p.noise;
	if (running || !p.holdWhenStopped) pv.reading = pv.value + noise;
}

/** First-order lag: moves `value` towards `target` with time constant `tauS`. */
export function follow(value: number, target: number, tauS: number, dtS: number): number {
	return value + (target - value) * (1 - Math.exp(-dtS / tauS));
}

/** Mean-reverting random walk around 0 with stationary standard deviation `sigma`. */
export function ornsteinUhlenbeck(x: number, sigma: number, tauS: number, dtS: number, rng: Rng): number {
	const decay = Math.exp(-dtS / tauS);
	return x * decay + sigma * Math.sqrt(1 - decay * decay) * rng.normal();
}
