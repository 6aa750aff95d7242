import { describe, expect, test } from 'vitest';
import { checkSetpointValue, stepSetpoint } from './setpoint-rules';

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
		[FREE, 0.123, null]
	])('%o ← %s → %s', (limits, value, problem) => {
		expect(checkSetpointValue(limits, value)).toBe(problem);
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
