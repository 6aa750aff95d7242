import fs from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parsePlantModel } from '../plant/load';
import { alarmDefinitions } from './definitions';
import { SYSTEM_TAGS } from './system';

const plant = parsePlantModel(fs.readFileSync('config/plant.json', 'utf8'), 'config/plant.json');
const defs = alarmDefinitions(plant);
const byId = new Map(defs.map((d) => [d.id, d]));

describe('alarm definitions from the plant model', () => {
	test('limit alarms carry limit, deadband, delays, suppression and a two-language message', () => {
		expect(byId.get('acme/utrecht/packaging/line1/filler/_alarms/product_temperature_h')).toEqual({
			id: 'acme/utrecht/packaging/line1/filler/_alarms/product_temperature_h',
			lineId: 'line1',
			machineId: 'filler',
			trigger: { kind: 'limit', tagPath: 'acme/utrecht/packaging/line1/filler/product_temperature', direction: 'high', limit: 10, deadband: 0.3 },
			priority: 3,
			latching: false,
			onDelayMs: 5000,
			offDelayMs: 5000,
			message: { en: 'Product temperature high', nl: 'Producttemperatuur hoog' },
			suppression: { statePath: 'acme/utrecht/packaging/line1/filler/state', states: ['planned_stop', 'changeover'] }
		});
		expect(byId.get('acme/utrecht/packaging/line2/filler/_alarms/co2_pressure_ll')?.trigger).toMatchObject({ direction: 'low', limit: 2.2 });
	});

	test('discrete alarms: fault keeps the reason code, emergency stop latches and is never suppressed', () => {
		expect(byId.get('acme/utrecht/packaging/line2/capper/_alarms/fault')).toMatchObject({
			trigger: { kind: 'discrete', tagPath: 'acme/utrecht/packaging/line2/capper/state', equals: ['fault'] },
			detailTagPath: 'acme/utrecht/packaging/line2/capper/reason_code',
			priority: 2
		});
		const estop = byId.get('acme/utrecht/packaging/line1/labeler/_alarms/estop');
		expect(estop).toMatchObject({ priority: 1, latching: true, trigger: { equals: [204] } });
		expect(estop?.suppression).toBeUndefined();
	});

	test('one communication alarm per line, and ids are unique', () => {
		expect(defs.filter((d) => d.trigger.kind === 'comms').map((d) => d.trigger)).toEqual([
			{ kind: 'comms', sourceId: 'opcua-line1' },
			{ kind: 'comms', sourceId: 'mqtt' }
		]);
		expect(byId.size).toBe(defs.length);
		expect(defs.length).toBe(2 + 2 * (16 + 3 * 2) + 5);
	});

	test('the HMI\'s own system alarms live under _sys/hmi/_alarms, driven by its _sys/hmi tags, with messages from the locales', () => {
		const system = defs.filter((d) => d.id.startsWith('_sys/'));
		expect(system.map((d) => [d.id, d.priority, d.trigger])).toEqual([
			['_sys/hmi/_alarms/journal_not_writable', 2, { kind: 'discrete', tagPath: SYSTEM_TAGS.storageWrites, equals: ['failing'] }],
			['_sys/hmi/_alarms/database_file', 2, { kind: 'discrete', tagPath: SYSTEM_TAGS.storageFile, equals: ['missing', 'replaced'] }],
			['_sys/hmi/_alarms/database_damaged', 2, { kind: 'discrete', tagPath: SYSTEM_TAGS.storageIntegrity, equals: ['damaged'] }],
			['_sys/hmi/_alarms/database_unusable', 1, { kind: 'discrete', tagPath: SYSTEM_TAGS.storageIntegrity, equals: ['unusable'] }],
			['_sys/hmi/_alarms/clock_jump', 3, { kind: 'discrete', tagPath: SYSTEM_TAGS.clockJump, equals: ['forward', 'backward'] }]
		]);
		expect(byId.get('_sys/hmi/_alarms/journal_not_writable')).toMatchObject({
			lineId: '_sys',
			message: { en: 'Journal not writable: entries wait in memory', nl: 'Logboek niet schrijfbaar: regels wachten in het geheugen' },
			detailTagPath: SYSTEM_TAGS.storageError
		});
		for (const d of system) expect(d.machineId).toBeUndefined();
	});
});
