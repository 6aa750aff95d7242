import fs from 'node:fs';
import { beforeEach, describe, expect, test } from 'vitest';
import { FLOOD_PATH, type AlarmRecord } from '$lib/shared/alarms';
import { Quality } from '$lib/shared/protocol';
import { parsePlantModel } from '../domain/plant/load';
import type { PlantModel } from '../domain/plant/schema';
import { TagStore } from '../domain/tags/tag-store';
import { AlarmJournal, AlarmStateStore } from '../store/alarm-journal';
import { openDatabase, type Db } from '../store/db';
import { FakeClock } from '../testing/fake-clock';
import { silentLog } from '../testing/silent-log';
import { testGuard } from '../testing/test-guard';
import { AlarmService } from './alarm-service';

const plant: PlantModel = parsePlantModel(fs.readFileSync('config/plant.json', 'utf8'), 'config/plant.json');
const L2 = 'acme/utrecht/packaging/line2';
const FAULT = `${L2}/capper/_alarms/fault`;
const TEMP_H = `${L2}/filler/_alarms/product_temperature_h`;

let clock: FakeClock;
let store: TagStore;
let db: Db;
let journal: AlarmJournal;

function start(): AlarmService {
	return new AlarmService({ plant, store, journal, states: new AlarmStateStore(db, testGuard(db, clock)), clock, log: silentLog });
}
const set = (path: string, value: unknown, quality: Quality = Quality.Good) =>
	store.apply({ path, value: value as never, quality, sourceTs: clock.now(), serverTs: clock.now(), origin: 'mqtt' });
const record = (id: string) => store.get(id)?.value as unknown as AlarmRecord;

beforeEach(() => {
	clock = new FakeClock();
	store = new TagStore();
	db = openDatabase(':memory:');
	journal = new AlarmJournal(db, testGuard(db, clock));
});

describe('AlarmService', () => {
	test('publishes every alarm at start, in normal', () => {
		const service = start();
		expect(service.records()).toHaveLength(46 + 5); // the plant's, and the HMI's own system alarms
		expect(record(TEMP_H)).toMatchObject({ state: 'normal', priority: 3, line: 'line2', machine: 'filler', message: { en: 'Product temperature high' } });
	});

	test('a fault raises the alarm with its reason code; acknowledging it is journaled with user and comment', () => {
		const service = start();
		set(`${L2}/capper/reason_code`, 201);
		set(`${L2}/capper/state`, 'fault');
		expect(record(FAULT)).toMatchObject({ state: 'unack_active', detail: 201, active: true });
		clock.advance(3000);
		expect(service.act(FAULT, { type: 'ack', user: 'maintenance', comment: 'jam cleared at infeed' })).toEqual({ ok: true, journal: 'written' });
		expect(record(FAULT).state).toBe('ack_active');
		const rows = journal.query({ alarm: FAULT, limit: 10 });
		expect(rows.map((r) => [r.from, r.to, r.action, r.user, r.comment])).toEqual([
			['unack_active', 'ack_active', 'ack', 'maintenance', 'jam cleared at infeed'],
			['normal', 'unack_active', null, null, null]
		]);
		expect(service.act(FAULT, { type: 'ack', user: 'maintenance' })).toEqual({ ok: false, code: 'alarm.nothing_to_ack' });
		expect(service.act('acme/nope', { type: 'ack', user: 'x' })).toEqual({ ok: false, code: 'alarm.unknown' });
	});

	test('the reason code of a fault counts when it arrives just after the state', () => {
		start();
		set(`${L2}/capper/reason_code`, 0);
		set(`${L2}/capper/state`, 'fault');
		clock.advance(200);
		set(`${L2}/capper/reason_code`, 203);
		expect(record(FAULT)).toMatchObject({ state: 'unack_active', detail: 203 });
	});

	test('limit alarm honours the on-delay through the service tick', () => {
		start();
		set(`${L2}/filler/product_temperature`, 10.4);
		expect(record(TEMP_H).state).toBe('normal');
		clock.advance(5000);
		expect(record(TEMP_H).state).toBe('unack_active');
	});

	test('values of bad or stale quality are ignored', () => {
		start();
		set(`${L2}/capper/state`, 'fault', Quality.Bad);
		expect(record(FAULT).state).toBe('normal');
	});

	test('process alarms are suppressed during a planned stop; the fault alarm is not', () => {
		start();
		set(`${L2}/filler/state`, 'planned_stop');
		set(`${L2}/filler/product_temperature`, 13);
		clock.advance(6000);
		expect(record(TEMP_H).state).toBe('suppressed');
		set(`${L2}/filler/state`, 'running');
		expect(record(TEMP_H).state).toBe('unack_active');
	});

	test('a source that stays disconnected raises its comms alarm after the on-delay', () => {
		start();
		set('_sys/sources/opcua-line1/state', 'disconnected');
		clock.advance(9000);
		expect(record('acme/utrecht/packaging/line1/_alarms/comms').state).toBe('normal');
		clock.advance(1000);
		expect(record('acme/utrecht/packaging/line1/_alarms/comms')).toMatchObject({ state: 'unack_active', priority: 2 });
	});

	test('acknowledged, shelved and latched states survive a restart', () => {
		const first = start();
		set(`${L2}/capper/state`, 'fault');
		first.act(FAULT, { type: 'ack', user: 'op' });
		set(`${L2}/labeler/reason_code`, 204);
		first.act(TEMP_H, { type: 'shelve', user: 'mt', reason: 'probe swap', durationMs: 3600_000 });
		first.stop();

		store = new TagStore();
		start();
		expect(record(FAULT).state).toBe('ack_active');
		expect(record(TEMP_H)).toMatchObject({ state: 'shelved', shelved: { kind: 'timed', by: 'mt', reason: 'probe swap' } });
		expect(record(`${L2}/labeler/_alarms/estop`).state).toBe('unack_active');
	});

	test('more than 10 new alarms within 10 minutes is a flood; it ends below 5', () => {
		start();
		const machines = ['filler', 'capper', 'labeler'];
		const lines = ['line1', 'line2'];
		let n = 0;
		for (const line of lines)
			for (const machine of machines) {
				set(`acme/utrecht/packaging/${line}/${machine}/reason_code`, 204);
				set(`acme/utrecht/packaging/${line}/${machine}/state`, 'fault');
				n += 2;
			}
		expect(n).toBe(12);
		expect(store.get(FLOOD_PATH)?.value).toMatchObject({ active: true, count: 12 });
		clock.advance(600_000);
		expect(store.get(FLOOD_PATH)?.value).toMatchObject({ active: false, count: 0 });
	});
});
