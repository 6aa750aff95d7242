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
 * `value` moved `direction` steps (default step: 1/100 of the range), snapped onto the step grid and
 * kept within [min, max]. Rounds away float noise (0.1 + 0.2 → 0.3).
 */
export function stepSetpoint(limits: Limits, value: number, direction: -1 | 1): number {
	const step = limits.step ?? (limits.max - limits.min) / 100;
	const k = Math.round((value - limits.min) / step) + direction;
	const next = Math.min(limits.max, Math.max(limits.min, limits.min + k * step));
	return Number(next.toPrecision(12));
}
