import { describe, expect, test } from 'vitest';
import { parseSetpointCommand, setpointTopic } from '../setpoint-commands.js';
import { applySetpoint, checkSetpoint, readSetpointTags } from './setpoints.js';
import { advance, createPlant, machineOf, readAllTags } from './simulation.js';

const START = Date.parse('2026-01-05T06:00:00Z');

describe('checkSetpoint', () => {
	test.each([
		['filler', 'speed_target', 550, null],
		['filler', 'speed_target', 0, null],
		['filler', 'speed_target', 620, null],
		['filler', 'speed_target', 620.5, 'SIM_ERR_OUT_OF_RANGE'],
		['filler', 'speed_target', -1, 'SIM_ERR_OUT_OF_RANGE'],
		['filler', 'speed_target', Number.NaN, 'SIM_ERR_BAD_PAYLOAD'],
		['filler', 'speed_target', '550', 'SIM_ERR_BAD_PAYLOAD'],
		['filler', 'product_temperature_setpoint', 8, null],
		['filler', 'product_temperature_setpoint', 15.1, 'SIM_ERR_OUT_OF_RANGE'],
		['capper', 'speed_target', 500, 'SIM_ERR_UNKNOWN_SETPOINT'],
		['filler', 'nope', 1, 'SIM_ERR_UNKNOWN_SETPOINT']
	] as const)('%s %s = %s → %s', (machine, id, value, code) => {
		expect(checkSetpoint(machine, id, value)?.code ?? null).toBe(code);
	});
});

describe('applying setpoints', () => {
	test('defaults are the nominal speed and the process setpoint, reported on their tags', () => {
		const tags = readSetpointTags(createPlant(1, START));
		expect(tags.map((t) => [t.path, t.value])).toEqual([
			['acme/utrecht/packaging/line1/filler/speed_target', 500],
			['acme/utrecht/packaging/line1/filler/product_temperature_setpoint', 6.5],
			['acme/utrecht/packaging/line2/filler/speed_target', 420],
			['acme/utrecht/packaging/line2/filler/product_temperature_setpoint', 6.5]
		]);
	});

	test('a refused value leaves the plant as it was', () => {
		const plant = createPlant(1, START);
		const { state, problem } = applySetpoint(plant, 'line1', 'filler', 'speed_target', 9999);
		expect(problem?.code).toBe('SIM_ERR_OUT_OF_RANGE');
		expect(state).toBe(plant);
	});

	test('a lower speed target slows the filler down to it; the tag reports the new target', () => {
		let plant = createPlant(5, START);
		plant = applySetpoint(plant, 'line1', 'filler', 'speed_target', 300).state;
		expect(readAllTags(plant).find((t) => t.path.endsWith('line1/filler/speed_target'))?.value).toBe(300);
		// 30 s of plant time: ramps down at the machine's deceleration; nothing else holds it back at 300/min.
		plant = advance(plant, 300);
		const filler = machineOf(plant, 'line1', 'filler');
		if (!filler.fault && !filler.stop && !plant.lines[0].stop) expect(filler.speed).toBeLessThanOrEqual(300);
		expect(machineOf(plant, 'line2', 'filler').setpoints).toBeUndefined();
	});

	test('the product temperature settles towards a new setpoint', () => {
		let plant = createPlant(5, START);
		const before = machineOf(plant, 'line2', 'filler').process.product_temperature.value;
		plant = applySetpoint(plant, 'line2', 'filler', 'product_temperature_setpoint', 12).state;
		// 10 plant-minutes, about 7 time constants (90 s): the wander around the setpoint is σ 0.8 °C.
		plant = advance(plant, 6000);
		const after = machineOf(plant, 'line2', 'filler').process.product_temperature.value;
		expect(before).toBeLessThan(9);
		expect(after).toBeGreaterThan(9.5);
	});
});

describe('MQTT setpoint commands', () => {
	const topic = setpointTopic('line2', 'filler', 'speed_target');
	test.each([
		[topic, '{"value":450,"timestamp_ms":1}', 'ok'],
		[topic, '{"value":450}', 'ok'],
		[topic, '{"value":"450"}', 'SIM_ERR_BAD_PAYLOAD'],
		[topic, 'not json', 'SIM_ERR_BAD_PAYLOAD'],
		[topic, '{"value":450,"extra":1}', 'SIM_ERR_BAD_PAYLOAD'],
		[topic, '{"value":700}', 'SIM_ERR_OUT_OF_RANGE'],
		[setpointTopic('line1', 'filler', 'speed_target'), '{"value":450}', 'SIM_ERR_BAD_TOPIC'],
		['cmd/acme/utrecht/packaging/line2/mixer/setpoint/speed_target', '{"value":450}', 'SIM_ERR_UNKNOWN_MACHINE'],
		[setpointTopic('line2', 'capper', 'speed_target'), '{"value":450}', 'SIM_ERR_UNKNOWN_SETPOINT']
	])('%s %s → %s', (t, payload, expected) => {
		const parsed = parseSetpointCommand(t, payload, 'line2');
		expect(parsed.ok ? 'ok' : parsed.problem.code).toBe(expected);
	});
});
