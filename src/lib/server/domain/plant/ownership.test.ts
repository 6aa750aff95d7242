import fs from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parsePlantModel } from './load';
import { derivedNamespace } from '$lib/shared/uns-path';
import { PlantOwnership } from './ownership';

const plant = parsePlantModel(fs.readFileSync('config/plant.json', 'utf8'), 'config/plant.json');
const ownership = new PlantOwnership(plant);
const L1 = 'acme/utrecht/packaging/line1';
const L2 = 'acme/utrecht/packaging/line2';

describe('namespace ownership by the plant model', () => {
	test.each([
		// who owns a line's tags
		['OPC UA line tag by its connector', `${L1}/filler/reason_code`, 'opcua-line1', null],
		['OPC UA line tag over MQTT', `${L1}/filler/reason_code`, 'mqtt', 'not-owner'],
		['OPC UA line state over MQTT', `${L1}/filler/state`, 'mqtt', 'not-owner'],
		['MQTT line tag over MQTT', `${L2}/capper/torque`, 'mqtt', null],
		['MQTT line tag by an OPC UA connector', `${L2}/capper/torque`, 'opcua-line1', 'not-owner'],
		['MQTT line setpoint tag', `${L2}/filler/speed_target`, 'mqtt', null],
		['work order tag of the MQTT line', `${L2}/order/number`, 'mqtt', null],
		['an engine writing a plant tag', `${L2}/capper/torque`, 'alarms', 'not-owner'],
		// what the model does not declare
		['a tag the model does not declare', `${L2}/capper/junk`, 'mqtt', 'undeclared'],
		['a topic outside the plant', 'acme/junk/1/2/3', 'mqtt', 'undeclared'],
		// derived namespaces, the engines' alone
		['alarm record by the alarm engine', `${L1}/filler/_alarms/estop`, 'alarms', null],
		['alarm record over MQTT', `${L1}/filler/_alarms/estop`, 'mqtt', 'derived-namespace'],
		['made-up alarm over MQTT', `${L2}/_alarms/fire`, 'mqtt', 'derived-namespace'],
		['alarm record by OPC UA', `${L1}/filler/_alarms/estop`, 'opcua-line1', 'derived-namespace'],
		['alarm record by the OEE engine', `${L1}/filler/_alarms/estop`, 'oee', 'derived-namespace'],
		['KPI by the OEE engine', `${L1}/_kpi/oee`, 'oee', null],
		['KPI over MQTT', `${L2}/filler/_kpi/oee`, 'mqtt', 'derived-namespace'],
		['source state by the system', '_sys/sources/mqtt/state', 'system', null],
		['flood by the alarm engine', '_sys/alarms/flood', 'alarms', null],
		['source state over MQTT', '_sys/sources/opcua-line1/state', 'mqtt', 'derived-namespace']
	])('%s', (_what, path, origin, expected) => {
		expect(ownership.check(path, origin)).toBe(expected);
	});

	test('every declared tag has exactly the source of its line as owner', () => {
		expect(ownership.ownerOf(`${L1}/filler/state`)).toBe('opcua-line1');
		expect(ownership.ownerOf(`${L2}/filler/state`)).toBe('mqtt');
		expect(ownership.ownerOf(`${L2}/filler/nope`)).toBeUndefined();
	});

	test.each([
		['_sys/sources/mqtt/state', '_sys'],
		['_sys', '_sys'],
		['acme/a/_alarms/x', '_alarms'],
		['acme/a/b/_kpi/oee', '_kpi'],
		['acme/a/_alarmsx/y', null],
		['acme/_system/y', null],
		['acme/a/b', null]
	])('derived namespace of %s is %s', (path, expected) => {
		expect(derivedNamespace(path)).toBe(expected);
	});
});
