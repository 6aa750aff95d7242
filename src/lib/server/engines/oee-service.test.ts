import fs from 'node:fs';
import { DateTime } from 'luxon';
import { beforeEach, describe, expect, test } from 'vitest';
import { Quality } from '$lib/shared/protocol';
import { parsePlantModel } from '../domain/plant/load';
import type { ShiftReport } from '../domain/oee/tracker';
import { TagStore } from '../domain/tags/tag-store';
import { openDatabase, type Db } from '../store/db';
import { OeeStore } from '../store/oee-store';
import { FakeClock } from '../testing/fake-clock';
import { silentLog } from '../testing/silent-log';
import { testGuard } from '../testing/test-guard';
import { OeeService } from './oee-service';

const plant = parsePlantModel(fs.readFileSync('config/plant.json', 'utf8'), 'config/plant.json');
const L1 = 'acme/utrecht/packaging/line1';
const L2 = 'acme/utrecht/packaging/line2';
const FILLER = `${L2}/filler`;
const at = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Amsterdam' }).toMillis();
const MIN = 60_000;

let clock: FakeClock;
let store: TagStore;
let db: Db;
const set = (path: string, value: unknown) =>
	store.apply({ path, value: value as never, quality: Quality.Good, sourceTs: clock.now(), serverTs: clock.now(), origin: 'mqtt' });
const start = () => new OeeService({ plant, store, oeeStore: new OeeStore(db, testGuard(db, clock)), clock, log: silentLog });
const kpi = (path: string, name: string) => store.get(`${path}/_kpi/${name}`)?.value;

/** Runs the filler for `minutes` at 500/min with 1% rejects, counters read every 10 s. */
function produce(minutes: number, from: { total: number }) {
	for (let s = 0; s < minutes * 6; s++) {
		clock.advance(10_000);
		from.total += 500 / 6;
		set(`${FILLER}/count_total`, Math.round(from.total));
		set(`${FILLER}/count_good`, Math.round(from.total * 0.99));
	}
}

beforeEach(() => {
	clock = new FakeClock(at('2026-11-24T07:00'));
	store = new TagStore();
	db = openDatabase(':memory:');
});

describe('OeeService', () => {
	test('publishes live figures per machine, and the constraint machine\'s as the line\'s', () => {
		const service = start();
		set(`${FILLER}/reason_code`, 0);
		set(`${FILLER}/state`, 'running');
		const counter = { total: 0 };
		set(`${FILLER}/count_total`, 0);
		set(`${FILLER}/count_good`, 0);
		produce(30, counter);
		set(`${FILLER}/reason_code`, 201);
		set(`${FILLER}/state`, 'fault');
		clock.advance(10 * MIN);
		expect(service.current(FILLER)).toMatchObject({ key: '2026-11-24/early', runTimeMs: 30 * MIN, unplannedStopMs: 10 * MIN, unplannedByReason: { '201': 10 * MIN } });
		expect(service.current(FILLER)?.availability).toBeCloseTo(0.75, 6);
		// The published tags trail the live figures by at most one publish interval (2 s).
		expect((kpi(FILLER, 'shift') as unknown as ShiftReport).key).toBe('2026-11-24/early');
		expect(kpi(FILLER, 'availability')).toBeCloseTo(0.75, 2);
		expect(kpi(FILLER, 'performance')).toBeCloseTo(500 / 600, 2);
		expect(kpi(FILLER, 'quality')).toBeCloseTo(0.99, 2);
		expect(kpi(L2, 'oee')).toBe(kpi(FILLER, 'oee'));
	});

	test('a finished shift is stored; after a restart it is history and the new shift continues from its saved totals', () => {
		const first = start();
		set(`${FILLER}/state`, 'running');
		set(`${FILLER}/count_total`, 0);
		set(`${FILLER}/count_good`, 0);
		const counter = { total: 0 };
		clock.advance(at('2026-11-24T13:50') - clock.now());
		produce(20, counter); // runs into the late shift
		clock.advance(2 * MIN);
		const lateBefore = first.current(FILLER)!;
		expect(lateBefore.key).toBe('2026-11-24/late');
		first.stop();

		store = new TagStore();
		const second = start();
		const history = second.history(FILLER, 5);
		expect(history.map((h) => h.key)).toEqual(['2026-11-24/early']);
		// The whole early shift is stored, including the counts read just after the shift change.
		// Running from 07:00 to 14:00 less the shift's 45 minutes of breaks.
		expect(history[0]).toMatchObject({ runMs: 7 * 3600_000 - 45 * MIN, breakMs: 45 * MIN });
		expect(history[0].total + second.current(FILLER)!.total).toBe(Math.round(counter.total));
		expect(second.current(FILLER)).toMatchObject({ key: '2026-11-24/late', total: lateBefore.total, runMs: lateBefore.runMs });
		expect(second.history(L2, 5).map((h) => h.key)).toEqual(['2026-11-24/early']);
	});

	test('the running work order: progress, rate over the last minutes and estimated finish', () => {
		start();
		set(`${L2}/order/number`, 'WO-26-0417');
		set(`${L2}/order/product`, 'Cola 0.5 l PET');
		set(`${L2}/order/target`, 10_000);
		for (let m = 0; m <= 10; m++) {
			set(`${L2}/order/good`, 2000 + m * 400);
			clock.advance(MIN);
		}
		expect(kpi(L2, 'order')).toMatchObject({ number: 'WO-26-0417', good: 6000, progress: 0.6, ratePerMin: 400 });
		const finish = (kpi(L2, 'order') as unknown as { estimatedFinish: number }).estimatedFinish;
		expect(Math.abs(finish - (clock.now() + 10 * MIN))).toBeLessThanOrEqual(2 * MIN);
	});

	// Line 1 reads its PLC over OPC UA, line 2 over MQTT: one source down must leave the other line alone.
	test.each([
		{ down: 'mqtt', stopped: L2, counting: L1 },
		{ down: 'opcua-line1', stopped: L1, counting: L2 }
	])('when the $down source goes down its machines\' time stops counting, and the other line\'s goes on', ({ down, stopped, counting }) => {
		const service = start();
		for (const line of [L1, L2]) set(`${line}/filler/state`, 'running');
		clock.advance(10 * MIN);
		set(`_sys/sources/${down}/state`, 'disconnected');
		clock.advance(20 * MIN);
		expect(service.current(`${stopped}/filler`)?.runMs).toBe(10 * MIN);
		expect(service.current(`${counting}/filler`)?.runMs).toBe(30 * MIN);
		for (const path of [`${stopped}/filler`, stopped]) expect(store.get(`${path}/_kpi/oee`)?.quality).toBe(Quality.Stale);
		for (const path of [`${counting}/filler`, counting]) expect(store.get(`${path}/_kpi/oee`)?.quality).toBe(Quality.Good);
		set(`_sys/sources/${down}/state`, 'connected');
		clock.advance(3000);
		expect(store.get(`${stopped}/filler/_kpi/oee`)?.quality).toBe(Quality.Good);
	});
});
