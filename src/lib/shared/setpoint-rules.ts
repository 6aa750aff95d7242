/**
 * What a setpoint value must be: the server refuses anything else (400), the browser uses the same
 * rules to disable the confirm button and to step with −/+.
 */
import type { SetpointView } from './plant-view';

export type SetpointValueProblem = 'HMI_ERR_SETPOINT_NOT_A_NUMBER' | 'HMI_ERR_SETPOINT_OUT_OF_RANGE' | 'HMI_ERR_SETPOINT_OFF_STEP';

/** Relative slack for "on the step": 0.1 + 0.2 is 0.30000000000000004, and that must count as on. */
const STEP_EPSILON = 1e-9;

type Limits = Pick<SetpointView, 'min' | 'max' | 'step'>;

/** Why `value` may not be written to a setpoint with these limits, or null when it may. */
export function checkSetpointValue(limits: Limits, value: unknown): SetpointValueProblem | null {
	if (typeof value !== 'number' || !Number.isFinite(value)) return 'HMI_ERR_SETPOINT_NOT_A_NUMBER';
	if (value < limits.min || value > limits.max) return 'HMI_ERR_SETPOINT_OUT_OF_RANGE';
	if (limits.step !== undefined) {
		const k = (value - limits.min) / limits.step;
		if (Math.abs(k - Math.round(k)) > STEP_EPSILON * Math.max(1, Math.abs(k))) return 'HMI_ERR_SETPOINT_OFF_STEP';
	}
	return null;
}

/**
 * The value to send for one `checkSetpointValue` accepted: on the step grid exactly, rounded to the decimals
 * of the step (and of min), so 6.500000001 goes out as 6.5 and 4.1 + 0.2 + 0.2 as 4.5, never unrounded.
 * Without a step the value is sent as it is.
 */
export function snapSetpointValue(limits: Limits, value: number): number {
	if (limits.step === undefined) return value;
	const k = Math.round((value - limits.min) / limits.step);
	const grid = limits.min + k * limits.step;
	return Number(grid.toFixed(Math.max(decimalsOf(limits.step), decimalsOf(limits.min))));
}

/** How many decimals `x` is written with (0.25 → 2, 10 → 0, 1e-7 → 7); at most 20 (toFixed's limit). */
function decimalsOf(x: number): number {
	const [mantissa, exponent = '0'] = String(Math.abs(x)).split('e');
	const fraction = mantissa.split('.')[1]?.length ?? 0;
	return Math.min(20, Math.max(0, fraction - Number(exponent)));
}

/**
 * `value` moved `direction` steps (default step: 1/100 of the range), snapped onto the step grid and
 * kept within [min, max]. Rounds away float noise (0.1 + 0.2 → 0.3).
 */
export function stepSetpoint(limits: Limits, value: number, direction: -1 | 1): number {
	const step = limits.step ?? (limits.max - limits.min) / 100;
	const k = Math.round((value - limits.min) / step) + direction;
	const next = Math.min(limits.max, Math.max(limits.min, limits.min + k * step));
	return Number(next.toPrecision(12));
}
