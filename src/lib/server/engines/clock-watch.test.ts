import fs from 'node:fs';
import { beforeEach, describe, expect, test } from 'vitest';
import type { AlarmRecord } from '$lib/shared/alarms';
import { SYSTEM_TAGS, systemAlarmId } from '../domain/alarms/system';
import { parsePlantModel } from '../domain/plant/load';
import { CLOCK_JUMP_THRESHOLD_MS } from '../domain/time/clock-jump';
import { TagStore } from '../domain/tags/tag-store';
import { AlarmJournal, AlarmStateStore } from '../store/alarm-journal';
import type { Logger } from '../log';
import { ClockStore } from '../store/clock-store';
import { openDatabase, type Db } from '../store/db';
import type { StorageGuard } from '../store/storage-guard';
import { FakeBoot } from '../testing/fake-boot';
import { captureLog } from '../testing/capture-log';
import { FakeClock } from '../testing/fake-clock';
import { silentLog } from '../testing/silent-log';
import { testGuard } from '../testing/test-guard';
import { AlarmService } from './alarm-service';
import { CLOCK_CHECK_MS, CLOCK_JUMP_HOLD_MS, CLOCK_NOTE_EVERY_MS, ClockWatch } from './clock-watch';

const plant = parsePlantModel(fs.readFileSync('config/plant.json', 'utf8'), 'config/plant.json');
const CLOCK_ALARM = systemAlarmId('clock_jump');

let clock: FakeClock;
let boot: FakeBoot;
let store: TagStore;
let db: Db;
let guard: StorageGuard;
const alarm = () => store.get(CLOCK_ALARM)?.value as unknown as AlarmRecord;

beforeEach(() => {
	clock = new FakeClock();
	boot = new FakeBoot(clock);
	store = new TagStore();
	db = openDatabase(':memory:');
	guard = testGuard(db, clock);
});

function startAlarms(): AlarmService {
	return new AlarmService({ plant, store, journal: new AlarmJournal(db, guard), states: new AlarmStateStore(db, guard), clock, log: silentLog });
}

function watch(log: Logger = silentLog): ClockWatch {
	return new ClockWatch({ store, clock, boot, clocks: new ClockStore(db), guard, log });
}

describe('ClockWatch', () => {
	test('time passing, however slowly the checks run, is no jump', () => {
		const w = watch();
		clock.advance(10 * 3600_000);
		expect(w.health()).toMatchObject({ jumps: 0, last: null });
		expect(store.get(SYSTEM_TAGS.clockJump)?.value).toBe('ok');
	});

	test.each([
		['forward', 400 * 86_400_000],
		['backward', -3600_000]
	])('a jump %s is logged, counted, and raises the clock alarm; it returns to normal (unacknowledged) after the hold time', (direction, jumpMs) => {
		const { log, lines } = captureLog();
		const w = watch(log);
		startAlarms();
		clock.advance(CLOCK_CHECK_MS);
		clock.jump(jumpMs);
		clock.advance(CLOCK_CHECK_MS);
		expect(w.health()).toMatchObject({ jumps: 1, last: { jumpMs } });
		expect(lines().find((l) => l.jumpMs === jumpMs)?.msg).toMatch(new RegExp(`^clock: the system clock jumped ${direction === 'forward' ? 'forward' : 'back'} by`));
		expect(store.get(SYSTEM_TAGS.clockJump)?.value).toBe(direction);
		expect(alarm()).toMatchObject({ state: 'unack_active', priority: 3, detail: direction });
		expect(w.jumps()).toEqual([{ before: clock.now() - jumpMs - CLOCK_CHECK_MS, after: clock.now(), delta: jumpMs }]);
		expect(new ClockStore(db).jumps()).toEqual(w.jumps());

		clock.advance(CLOCK_JUMP_HOLD_MS);
		expect(store.get(SYSTEM_TAGS.clockJump)?.value).toBe('ok');
		expect(alarm().state).toBe('rtn_unack');
	});

	test('a step just under the threshold is not reported', () => {
		const w = watch();
		clock.jump(CLOCK_JUMP_THRESHOLD_MS - 1);
		clock.advance(CLOCK_CHECK_MS);
		expect(w.health().jumps).toBe(0);
	});

	test.each([
		['forward on the same boot', false, 400 * 86_400_000, 'forward', 'same-boot'],
		['back on the same boot', false, -3600_000, 'backward', 'same-boot'],
		['back after a reboot', true, -3600_000, 'backward', 'last-seen']
	])('a jump while the server was down (%s) is found at start, remembered, and raises the clock alarm', (_what, reboot, jumpMs, direction, how) => {
		watch().stop();
		if (reboot) boot.reboot();
		clock.jump(jumpMs);
		store = new TagStore();
		const { log, lines } = captureLog();
		const w = watch(log);
		startAlarms();
		expect(w.health()).toMatchObject({ jumps: 1, last: { jumpMs, how }, remembered: 1 });
		expect(new ClockStore(db).jumps()).toMatchObject([{ delta: jumpMs }]);
		expect(lines().find((l) => l.jumpMs === jumpMs)?.msg).toMatch(/^clock: the system clock (was set|reads)/);
		expect(alarm()).toMatchObject({ state: 'unack_active', detail: direction });
	});

	test('after a reboot a step forward cannot be told from a long stop: nothing is found', () => {
		watch().stop();
		boot.reboot();
		clock.jump(400 * 86_400_000);
		expect(watch().health()).toMatchObject({ jumps: 0, remembered: 0 });
	});

	test('a restart without a jump finds none', () => {
		const first = watch();
		clock.advance(3 * CLOCK_NOTE_EVERY_MS);
		first.stop();
		clock.advance(3600_000);
		expect(watch().health().jumps).toBe(0);
	});
});
