import { describe, expect, test } from 'vitest';
import { checkSetpointValue, snapSetpointValue, stepSetpoint } from './setpoint-rules';

const SPEED = { min: 300, max: 600, step: 10 };
const TEMP = { min: 4, max: 10, step: 0.5 };
const FREE = { min: 0, max: 1 };

describe('checkSetpointValue', () => {
	test.each([
		[SPEED, 450, null],
		[SPEED, 300, null],
		[SPEED, 600, null],
		[SPEED, 299, 'HMI_ERR_SETPOINT_OUT_OF_RANGE'],
		[SPEED, 610, 'HMI_ERR_SETPOINT_OUT_OF_RANGE'],
		[SPEED, 455, 'HMI_ERR_SETPOINT_OFF_STEP'],
		[SPEED, '450', 'HMI_ERR_SETPOINT_NOT_A_NUMBER'],
		[SPEED, null, 'HMI_ERR_SETPOINT_NOT_A_NUMBER'],
		[SPEED, Number.NaN, 'HMI_ERR_SETPOINT_NOT_A_NUMBER'],
		[SPEED, Number.POSITIVE_INFINITY, 'HMI_ERR_SETPOINT_NOT_A_NUMBER'],
		[TEMP, 7.5, null],
		[TEMP, 7.25, 'HMI_ERR_SETPOINT_OFF_STEP'],
		[TEMP, 4 + 0.1 + 0.2 + 0.2, null],
		// Within 1e-9 of a step of the grid: float noise, accepted (and sent snapped, below).
		[TEMP, 6.5 + 1e-10, null],
		[TEMP, 6.5 - 1e-10, null],
		[SPEED, 450 + 1e-9, null],
		// Clearly off the grid, however little: refused.
		[TEMP, 6.5 + 1e-6, 'HMI_ERR_SETPOINT_OFF_STEP'],
		[SPEED, 450.001, 'HMI_ERR_SETPOINT_OFF_STEP'],
		[FREE, 0.123, null]
	])('%o ← %s → %s', (limits, value, problem) => {
		expect(checkSetpointValue(limits, value)).toBe(problem);
	});
});

describe('snapSetpointValue', () => {
	const FINE = { min: 0, max: 1, step: 0.001 };
	const ODD = { min: 0.25, max: 3, step: 0.5 };
	test.each([
		[TEMP, 6.5 + 1e-10, 6.5],
		[TEMP, 6.5 - 1e-10, 6.5],
		[TEMP, 4 + 0.1 + 0.2 + 0.2, 4.5],
		[SPEED, 450 + 1e-9, 450],
		[SPEED, 600, 600],
		[FINE, 0.1 + 0.2, 0.3],
		[FINE, 0.007000000001, 0.007],
		[ODD, 1.7500000001, 1.75],
		[{ min: 0, max: 1, step: 1e-7 }, 3e-7 + 1e-17, 3e-7],
		[FREE, 0.123456789, 0.123456789]
	])('%o: %s is sent as %s', (limits, value, sent) => {
		expect(checkSetpointValue(limits, value)).toBeNull();
		expect(snapSetpointValue(limits, value)).toBe(sent);
	});
});

describe('stepSetpoint', () => {
	test.each([
		[SPEED, 450, 1, 460],
		[SPEED, 450, -1, 440],
		[SPEED, 455, 1, 470],
		[SPEED, 600, 1, 600],
		[SPEED, 300, -1, 300],
		[TEMP, 6.5, 1, 7],
		[TEMP, 6.5, -1, 6],
		[FREE, 0.5, 1, 0.51]
	] as const)('%o: %s %s → %s', (limits, value, direction, expected) => {
		expect(stepSetpoint(limits, value, direction)).toBe(expected);
	});
});
