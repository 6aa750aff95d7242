import fs from 'node:fs';
import { beforeEach, describe, expect, test } from 'vitest';
import type { AlarmRecord } from '$lib/shared/alarms';
import { SYSTEM_TAGS, systemAlarmId } from '../domain/alarms/system';
import { parsePlantModel } from '../domain/plant/load';
import { CLOCK_JUMP_THRESHOLD_MS } from '../domain/time/clock-jump';
import { TagStore } from '../domain/tags/tag-store';
import { AlarmJournal, AlarmStateStore } from '../store/alarm-journal';
import { openDatabase } from '../store/db';
import { captureLog } from '../testing/capture-log';
import { FakeClock } from '../testing/fake-clock';
import { silentLog } from '../testing/silent-log';
import { testGuard } from '../testing/test-guard';
import { AlarmService } from './alarm-service';
import { CLOCK_CHECK_MS, CLOCK_JUMP_HOLD_MS, ClockWatch } from './clock-watch';

const plant = parsePlantModel(fs.readFileSync('config/plant.json', 'utf8'), 'config/plant.json');
const CLOCK_ALARM = systemAlarmId('clock_jump');

let clock: FakeClock;
let store: TagStore;
const alarm = () => store.get(CLOCK_ALARM)?.value as unknown as AlarmRecord;

beforeEach(() => {
	clock = new FakeClock();
	store = new TagStore();
});

function startAlarms(): AlarmService {
	const db = openDatabase(':memory:');
	const guard = testGuard(db, clock);
	return new AlarmService({ plant, store, journal: new AlarmJournal(db, guard), states: new AlarmStateStore(db, guard), clock, log: silentLog });
}

describe('ClockWatch', () => {
	test('time passing, however slowly the checks run, is no jump', () => {
		const watch = new ClockWatch(store, clock, silentLog);
		clock.advance(10 * 3600_000);
		expect(watch.health()).toMatchObject({ jumps: 0, last: null });
		expect(store.get(SYSTEM_TAGS.clockJump)?.value).toBe('ok');
	});

	test.each([
		['forward', 400 * 86_400_000],
		['backward', -3600_000]
	])('a jump %s is logged, counted, and raises the clock alarm; it returns to normal (unacknowledged) after the hold time', (direction, jumpMs) => {
		const { log, lines } = captureLog();
		const watch = new ClockWatch(store, clock, log);
		startAlarms();
		clock.advance(CLOCK_CHECK_MS);
		clock.jump(jumpMs);
		clock.advance(CLOCK_CHECK_MS);
		expect(watch.health()).toMatchObject({ jumps: 1, last: { jumpMs } });
		expect(lines().find((l) => l.jumpMs === jumpMs)?.msg).toMatch(new RegExp(`^clock: the system clock jumped ${direction === 'forward' ? 'forward' : 'back'} by`));
		expect(store.get(SYSTEM_TAGS.clockJump)?.value).toBe(direction);
		expect(alarm()).toMatchObject({ state: 'unack_active', priority: 3, detail: direction });
		expect(watch.sinceLastJump()).toBe(0);

		clock.advance(CLOCK_JUMP_HOLD_MS);
		expect(store.get(SYSTEM_TAGS.clockJump)?.value).toBe('ok');
		expect(alarm().state).toBe('rtn_unack');
	});

	test('a step just under the threshold is not reported', () => {
		const watch = new ClockWatch(store, clock, silentLog);
		clock.jump(CLOCK_JUMP_THRESHOLD_MS - 1);
		clock.advance(CLOCK_CHECK_MS);
		expect(watch.health().jumps).toBe(0);
	});
});
