/** The filler's product tank: drains with every bottle filled and is refilled in cycles. */
import { TANK } from './params.js';
import type { Rng } from './prng.js';
import type { TankState } from './state.js';

export function initialTank(): TankState {
	const litres = (TANK.initialPercent / 100) * TANK.capacityLitres;
	return { litres, refill: 'off', refillDelayMs: 0, reading: TANK.initialPercent };
}

export function tankPercent(tank: TankState): number {
	return (tank.litres / TANK.capacityLitres) * 100;
}

/**
 * Advances the tank by `dtMs`.
 * @param drawnLitres product filled into bottles during this step
 * @returns true when the tank has just run empty (the filler must stop)
 */
export function stepTank(tank: TankState, drawnLitres: number, dtMs: number, rng: Rng): boolean {
	tank.litres = Math.max(0, tank.litres - drawnLitres);
	let percent = tankPercent(tank);

	if (tank.refill === 'off' && percent <= TANK.refillStartPercent) {
		const late = rng.chance(TANK.lateRefillChance);
		const [lo, hi] = late ? TANK.lateRefillDelayS : TANK.refillDelayS;
		tank.refill = 'waiting';
		tank.refillDelayMs = rng.uniform(lo, hi) * 1000;
	} else if (tank.refill === 'waiting') {
		tank.refillDelayMs -= dtMs;
		if (tank.refillDelayMs <= 0) tank.refill = 'on';
	}

	if (tank.refill === 'on') {
		tank.litres = Math.min(TANK.capacityLitres, tank.litres + (TANK.refillLitresPerMin * dtMs) / 60_000);
		percent = tankPercent(tank);
		if (percent >= TANK.refillStopPercent) tank.refill = 'off';
	}

	tank.reading = percent + rng.normal() * TANK.noise;

	if (percent <= TANK.emptyPercent && tank.refill !== 'on') {
		// Somebody notices and opens the valve by hand.
		tank.refill = 'on';
		return true;
	}
	return false;
}
