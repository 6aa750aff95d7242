import { describe, expect, test } from 'vitest';
import type { AlarmDisplayState, AlarmPriority, AlarmRecord } from '$lib/shared/alarms';
import type { Role } from '$lib/shared/permissions';
import { alarmRecord } from '$lib/testing/alarm-record';
import type { PlantView } from '$lib/shared/plant-view';
import {
	actionsFor,
	AnnunciationWatch,
	filterAlarms,
	isAlarmPath,
	isUnacked,
	locate,
	NO_FILTER,
	sortAlarms,
	summarise,
	toAlarm,
	toFlood,
	type Alarm,
	type RowAction
} from './alarms';

const L2 = 'acme/utrecht/packaging/line2';

function alarm(id: string, patch: Partial<AlarmRecord> = {}): Alarm {
	return { id, ...alarmRecord(patch) };
}

describe('isAlarmPath', () => {
	test.each([
		[`${L2}/capper/_alarms/fault`, true],
		[`${L2}/_alarms/comms`, true],
		[`${L2}/filler/_alarms/product_temperature_h`, true],
		[`${L2}/capper/state`, false],
		[`${L2}/capper/_alarms`, false],
		['_sys/alarms/flood', false],
		['_alarms/x', true],
		['x', false]
	])('%s → %s', (path, expected) => {
		expect(isAlarmPath(path)).toBe(expected);
	});
});

describe('toAlarm', () => {
	test('keeps a well-formed record and adds its id', () => {
		const { id, ...record } = alarm('a');
		expect(toAlarm('x/_alarms/y', record)).toEqual({ ...record, id: 'x/_alarms/y' });
	});
	test.each([
		['null', null],
		['a number', 3],
		['an array', []],
		['an unknown state', { ...alarm('a'), state: 'weird' }],
		['a priority out of range', { ...alarm('a'), priority: 5 }],
		['no message', { ...alarm('a'), message: undefined }]
	])('rejects %s', (_name, value) => {
		expect(toAlarm('x/_alarms/y', value)).toBeNull();
	});
});

describe('isUnacked', () => {
	test.each<[AlarmDisplayState, boolean, boolean]>([
		['normal', true, false],
		['unack_active', false, true],
		['ack_active', true, false],
		['rtn_unack', false, true],
		['latched', false, true],
		['latched', true, false],
		['shelved', false, false],
		['suppressed', false, false],
		['out_of_service', false, false]
	])('%s (acked %s) → %s', (state, acked, expected) => {
		expect(isUnacked({ state, acked })).toBe(expected);
	});
});

describe('summarise', () => {
	test('counts unacknowledged per priority and finds the newest', () => {
		const s = summarise([
			alarm('a', { priority: 1, activeSince: 100, changedAt: 100 }),
			alarm('b', { priority: 2, activeSince: 300, changedAt: 300 }),
			alarm('c', { priority: 2, state: 'ack_active', acked: true, activeSince: 900, changedAt: 900 }),
			alarm('d', { priority: 4, state: 'rtn_unack', active: false, activeSince: null, changedAt: 200 }),
			alarm('e', { priority: 3, state: 'shelved', activeSince: 1000 })
		]);
		expect(s.counts).toEqual({ critical: 1, high: 1, medium: 0, low: 1 });
		expect(s.newest?.id).toBe('b');
	});
	test('nothing unacknowledged', () => {
		expect(summarise([alarm('a', { state: 'ack_active', acked: true })])).toEqual({
			counts: { critical: 0, high: 0, medium: 0, low: 0 },
			newest: null
		});
	});
	test('on a tie the more urgent one is the newest', () => {
		const s = summarise([alarm('a', { priority: 3 }), alarm('b', { priority: 1 })]);
		expect(s.newest?.id).toBe('b');
	});
});

describe('filterAlarms', () => {
	const list = [
		alarm('normal', { state: 'normal', acked: true, active: false }),
		alarm('unack', { priority: 1 }),
		alarm('acked', { state: 'ack_active', acked: true, line: 'line1', machine: 'filler' }),
		alarm('shelved', { state: 'shelved' }),
		alarm('oos', { state: 'out_of_service' }),
		alarm('suppr', { state: 'suppressed', priority: 3 })
	];
	const ids = (a: Alarm[]) => a.map((x) => x.id);

	test('never normal; hidden ones only on request', () => {
		expect(ids(filterAlarms(list, NO_FILTER))).toEqual(['unack', 'acked']);
		expect(ids(filterAlarms(list, { ...NO_FILTER, showHidden: true }))).toEqual(['unack', 'acked', 'shelved', 'oos', 'suppr']);
	});
	test('asking for a hidden state shows it', () => {
		expect(ids(filterAlarms(list, { ...NO_FILTER, state: 'shelved' }))).toEqual(['shelved']);
	});
	test('by line, machine and priority', () => {
		expect(ids(filterAlarms(list, { ...NO_FILTER, line: 'line1' }))).toEqual(['acked']);
		expect(ids(filterAlarms(list, { ...NO_FILTER, machine: 'capper' }))).toEqual(['unack']);
		expect(ids(filterAlarms(list, { ...NO_FILTER, priority: 1 }))).toEqual(['unack']);
		expect(ids(filterAlarms(list, { ...NO_FILTER, priority: 3, showHidden: true }))).toEqual(['suppr']);
	});
});

describe('sortAlarms', () => {
	const list = [
		alarm('low-new', { priority: 4, activeSince: 500 }),
		alarm('crit-old', { priority: 1, activeSince: 100 }),
		alarm('crit-new', { priority: 1, activeSince: 300 }),
		alarm('rtn', { priority: 2, activeSince: null, changedAt: 400 })
	];
	test('by priority, newest first within one', () => {
		expect(sortAlarms(list, 'priority').map((a) => a.id)).toEqual(['crit-new', 'crit-old', 'rtn', 'low-new']);
	});
	test('by time, newest first', () => {
		expect(sortAlarms(list, 'time').map((a) => a.id)).toEqual(['low-new', 'rtn', 'crit-new', 'crit-old']);
	});
	test('does not change its input', () => {
		const copy = [...list];
		sortAlarms(list, 'time');
		expect(list).toEqual(copy);
	});
});

describe('actionsFor', () => {
	const unack = alarm('a');
	const acked = alarm('a', { state: 'ack_active', acked: true });
	const latched = alarm('a', { state: 'latched', acked: false, active: false, activeSince: null });
	const shelved = alarm('a', { state: 'shelved' });
	const oos = alarm('a', { state: 'out_of_service' });
	test.each<[string, Alarm, Role, RowAction[]]>([
		['unack', unack, 'operator', ['ack']],
		['unack', unack, 'maintenance', ['ack', 'shelve', 'out-of-service']],
		['unack', unack, 'admin', ['ack', 'shelve', 'out-of-service']],
		['unack', unack, 'manager', []],
		['acked', acked, 'operator', []],
		['acked', acked, 'maintenance', ['shelve', 'out-of-service']],
		['latched', latched, 'operator', ['ack']],
		['latched', latched, 'maintenance', ['ack', 'reset', 'shelve', 'out-of-service']],
		['shelved', shelved, 'maintenance', ['unshelve', 'out-of-service']],
		['shelved', shelved, 'operator', []],
		['out of service', oos, 'maintenance', ['return-to-service']],
		['out of service', oos, 'manager', []]
	])('%s as %s', (_name, a, role, expected) => {
		expect(actionsFor(a, role)).toEqual(expected);
	});
	test('no role, no actions', () => {
		expect(actionsFor(unack, null)).toEqual([]);
	});
});

describe('locate', () => {
	const tag = (id: string) => ({ id, path: `${L2}/filler/${id}`, kind: 'process' as const, label: { en: id, nl: id }, unit: '°C' });
	const plant = {
		lines: [
			{
				id: 'line2',
				path: L2,
				label: { en: 'Line 2', nl: 'Lijn 2' },
				source: 'mqtt',
				sourceId: 'mqtt',
				machines: [
					{ id: 'filler', type: 'filler', path: `${L2}/filler`, label: { en: 'Filler', nl: 'Vuller' }, tags: [tag('product_temperature'), tag('product')] }
				]
			}
		]
	} as unknown as PlantView;

	test('a limit alarm: line, machine and the tag it watches (longest id wins)', () => {
		const p = locate(plant, alarm(`${L2}/filler/_alarms/product_temperature_hh`, { machine: 'filler' }));
		expect([p.line?.id, p.machine?.id, p.tag?.id]).toEqual(['line2', 'filler', 'product_temperature']);
	});
	test('a line alarm has no machine', () => {
		const p = locate(plant, alarm(`${L2}/_alarms/comms`, { machine: undefined }));
		expect([p.line?.id, p.machine, p.tag]).toEqual(['line2', null, null]);
	});
	test('an unknown place', () => {
		expect(locate(plant, alarm('elsewhere/_alarms/x', { line: 'nope', machine: undefined }))).toEqual({ line: null, machine: null, tag: null });
	});
});

describe('AnnunciationWatch', () => {
	const high = (id: string, since: number, priority: AlarmPriority = 2) => alarm(id, { priority, activeSince: since });

	test('the first look only takes note; then each new critical/high activation once', () => {
		const w = new AnnunciationWatch();
		expect(w.update([high('a', 1)])).toEqual([]);
		expect(w.update([high('a', 1)])).toEqual([]);
		expect(w.update([high('a', 1), high('b', 2, 1)]).map((a) => a.id)).toEqual(['b']);
		expect(w.update([high('a', 1), high('b', 2, 1)])).toEqual([]);
	});
	test('medium and low, acknowledged and hidden alarms do not sound', () => {
		const w = new AnnunciationWatch();
		w.update([]);
		expect(
			w.update([
				high('m', 1, 3),
				high('l', 1, 4),
				alarm('ack', { state: 'ack_active', acked: true }),
				alarm('sh', { state: 'shelved' })
			])
		).toEqual([]);
	});
	test('the same alarm coming in again sounds again', () => {
		const w = new AnnunciationWatch();
		w.update([high('a', 1)]);
		w.update([]);
		expect(w.update([high('a', 5)]).map((a) => a.id)).toEqual(['a']);
	});
});

describe('toFlood', () => {
	test.each([
		[{ active: true, count: 12 }, { active: true, count: 12 }],
		[{ active: false, count: 3 }, { active: false, count: 3 }],
		[null, { active: false, count: 0 }],
		['yes', { active: false, count: 0 }],
		[{ active: 'true', count: 'x' }, { active: false, count: 0 }]
	])('%j → %j', (value, expected) => {
		expect(toFlood(value)).toEqual(expected);
	});
});
