import { describe, expect, test } from 'vitest';
import {
	commandTopic,
	commandTopicFilter,
	parseMethodCall,
	parseMqttCommand,
	parseOrderMethodCall,
	MAX_COMMAND_BYTES
} from './commands.js';

const T = 'cmd/acme/utrecht/packaging/line2';

describe('MQTT commands', () => {
	test.each([
		[`${T}/capper/inject_fault`, '{"reason_code":201}', 'capper', { kind: 'inject_fault', reasonCode: 201 }],
		[`${T}/filler/inject_fault`, ' {"reason_code": 204} ', 'filler', { kind: 'inject_fault', reasonCode: 204 }],
		[`${T}/labeler/clear_fault`, '{}', 'labeler', { kind: 'clear_fault' }],
		[`${T}/labeler/clear_fault`, '', 'labeler', { kind: 'clear_fault' }],
		[
			`${T}/filler/force_value`,
			'{"tag":"product_temperature","value":12.5}',
			'filler',
			{ kind: 'force_value', tag: 'product_temperature', value: 12.5 }
		],
		[`${T}/capper/force_value`, '{"tag":"torque","value":-1}', 'capper', { kind: 'force_value', tag: 'torque', value: -1 }],
		[
			`${T}/filler/release_value`,
			'{"tag":"product_temperature"}',
			'filler',
			{ kind: 'release_value', tag: 'product_temperature' }
		]
	])('%s %s', (topic, payload, machine, command) => {
		expect(parseMqttCommand(topic, Buffer.from(payload), 'line2')).toEqual({ ok: true, line: 'line2', machine, command });
	});

	test.each([
		['{}'],
		[''],
		[' { } ']
	])(`${T}/order/complete_order %j: a command for the line's work order`, (payload) => {
		expect(parseMqttCommand(`${T}/order/complete_order`, Buffer.from(payload), 'line2')).toEqual({
			ok: true,
			line: 'line2',
			machine: null,
			command: { kind: 'complete_order' }
		});
	});

	test.each([
		['cmd/acme/utrecht/packaging/line1/capper/inject_fault', '{"reason_code":201}', 'SIM_ERR_BAD_TOPIC'],
		['acme/utrecht/packaging/line2/capper/inject_fault', '{"reason_code":201}', 'SIM_ERR_BAD_TOPIC'],
		[`${T}/capper`, '{}', 'SIM_ERR_BAD_TOPIC'],
		[`${T}/capper/inject_fault/extra`, '{}', 'SIM_ERR_BAD_TOPIC'],
		[`${T}/palletizer/inject_fault`, '{"reason_code":201}', 'SIM_ERR_UNKNOWN_MACHINE'],
		[`${T}/capper/explode`, '{}', 'SIM_ERR_UNKNOWN_COMMAND'],
		[`${T}/capper/__proto__`, '{}', 'SIM_ERR_UNKNOWN_COMMAND'],
		[`${T}/capper/inject_fault`, 'not json', 'SIM_ERR_BAD_PAYLOAD'],
		[`${T}/capper/inject_fault`, '{}', 'SIM_ERR_BAD_PAYLOAD'],
		[`${T}/capper/inject_fault`, '{"reason_code":"201"}', 'SIM_ERR_BAD_PAYLOAD'],
		[`${T}/capper/inject_fault`, '{"reason_code":201.5}', 'SIM_ERR_BAD_PAYLOAD'],
		[`${T}/capper/inject_fault`, '{"reason_code":201,"extra":1}', 'SIM_ERR_BAD_PAYLOAD'],
		[`${T}/capper/inject_fault`, '[201]', 'SIM_ERR_BAD_PAYLOAD'],
		[`${T}/capper/inject_fault`, 'null', 'SIM_ERR_BAD_PAYLOAD'],
		[`${T}/capper/inject_fault`, '{"reason_code":101}', 'SIM_ERR_NOT_A_FAULT'],
		[`${T}/capper/inject_fault`, '{"reason_code":0}', 'SIM_ERR_NOT_A_FAULT'],
		[`${T}/capper/clear_fault`, '{"now":true}', 'SIM_ERR_BAD_PAYLOAD'],
		[`${T}/filler/force_value`, '{"tag":"product_temperature"}', 'SIM_ERR_BAD_PAYLOAD'],
		[`${T}/filler/force_value`, '{"tag":"product_temperature","value":"hot"}', 'SIM_ERR_BAD_PAYLOAD'],
		[`${T}/filler/force_value`, '{"tag":"torque","value":1}', 'SIM_ERR_UNKNOWN_TAG'],
		[`${T}/filler/force_value`, '{"tag":"speed","value":1}', 'SIM_ERR_UNKNOWN_TAG'],
		[`${T}/filler/release_value`, '{}', 'SIM_ERR_BAD_PAYLOAD'],
		[`${T}/filler/release_value`, '{"tag":"nope"}', 'SIM_ERR_UNKNOWN_TAG'],
		[`${T}/filler/clear_fault`, ' '.repeat(MAX_COMMAND_BYTES + 1), 'SIM_ERR_BAD_PAYLOAD'],
		[`${T}/order/complete_order`, '{"now":true}', 'SIM_ERR_BAD_PAYLOAD'],
		[`${T}/order/complete_order`, 'done', 'SIM_ERR_BAD_PAYLOAD'],
		[`${T}/order/complete_order`, '[]', 'SIM_ERR_BAD_PAYLOAD'],
		[`${T}/order/complete_order`, ' '.repeat(MAX_COMMAND_BYTES + 1), 'SIM_ERR_BAD_PAYLOAD'],
		[`${T}/order/inject_fault`, '{"reason_code":201}', 'SIM_ERR_UNKNOWN_COMMAND'],
		[`${T}/order/__proto__`, '{}', 'SIM_ERR_UNKNOWN_COMMAND'],
		[`${T}/capper/complete_order`, '{}', 'SIM_ERR_UNKNOWN_COMMAND'],
		['cmd/acme/utrecht/packaging/line1/order/complete_order', '{}', 'SIM_ERR_BAD_TOPIC'],
		[`${T}/order/complete_order/now`, '{}', 'SIM_ERR_BAD_TOPIC']
	])('refuses %s %s', (topic, payload, code) => {
		const result = parseMqttCommand(topic, Buffer.from(payload), 'line2');
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.problem.code).toBe(code);
			expect(result.problem.message).not.toContain('\n');
		}
	});

	test('topics', () => {
		expect(commandTopicFilter('line2')).toBe('cmd/acme/utrecht/packaging/line2/+/+');
		expect(commandTopic('line2', 'capper', 'inject_fault')).toBe(`${T}/capper/inject_fault`);
		expect(commandTopic('line2', 'order', 'complete_order')).toBe(`${T}/order/complete_order`);
	});
});

describe('OPC UA method calls', () => {
	test.each([
		['InjectFault', [202], { kind: 'inject_fault', reasonCode: 202 }],
		['ClearFault', [], { kind: 'clear_fault' }],
		['ForceValue', ['torque', 2.6], { kind: 'force_value', tag: 'torque', value: 2.6 }],
		['ReleaseValue', ['torque'], { kind: 'release_value', tag: 'torque' }]
	] as const)('%s(%j)', (method, args, command) => {
		expect(parseMethodCall('line1', 'capper', method, args)).toEqual({ ok: true, line: 'line1', machine: 'capper', command });
	});

	test.each([
		['InjectFault', [], 'SIM_ERR_BAD_PAYLOAD'],
		['InjectFault', [null], 'SIM_ERR_BAD_PAYLOAD'],
		['InjectFault', ['201'], 'SIM_ERR_BAD_PAYLOAD'],
		['InjectFault', [301], 'SIM_ERR_NOT_A_FAULT'],
		['ClearFault', [1], 'SIM_ERR_BAD_PAYLOAD'],
		['ForceValue', ['torque'], 'SIM_ERR_BAD_PAYLOAD'],
		['ForceValue', [1, 2], 'SIM_ERR_BAD_PAYLOAD'],
		['ForceValue', ['torque', 'x'], 'SIM_ERR_BAD_PAYLOAD'],
		['ForceValue', ['torque', Number.POSITIVE_INFINITY], 'SIM_ERR_BAD_PAYLOAD'],
		['ForceValue', ['glue_temperature', 1], 'SIM_ERR_UNKNOWN_TAG'],
		['ReleaseValue', [''], 'SIM_ERR_UNKNOWN_TAG']
	] as const)('refuses %s(%j)', (method, args, code) => {
		const result = parseMethodCall('line1', 'capper', method, args);
		expect(result.ok ? null : result.problem.code).toBe(code);
	});
});

describe('OPC UA method calls on the order object', () => {
	test('CompleteOrder()', () => {
		expect(parseOrderMethodCall('line1', 'CompleteOrder', [])).toEqual({
			ok: true,
			line: 'line1',
			machine: null,
			command: { kind: 'complete_order' }
		});
	});

	test.each([[[1]], [['now']], [[null]]])('refuses CompleteOrder(%j)', (args) => {
		const result = parseOrderMethodCall('line1', 'CompleteOrder', args);
		expect(result.ok ? null : result.problem.code).toBe('SIM_ERR_BAD_PAYLOAD');
	});
});
