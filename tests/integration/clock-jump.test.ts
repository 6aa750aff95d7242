import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import type { AlarmRecord } from '../../src/lib/shared/alarms';
import { readConfig } from '../../src/lib/server/config';
import { startRuntime, type Runtime } from '../../src/lib/server/runtime';

// A clock set forward while the server was down was never seen: the first row stamped after the start was
// the newest, and retention counted back from it, deleting the journal a few per cent per prune. Through the
// real runtime, the machine's real boot clock and a real hmi.db: the note the last run left says the clock
// read a year earlier when it stopped (as a clock a year behind does, set right while the server was down).
const YEAR = 365 * 86_400_000;
const HOUR = 3600_000;
const CLOCK_ALARM = '_sys/hmi/_alarms/clock_jump';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hmi-clock-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
const config = readConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', MQTT_PORT: '0', OPCUA_ENDPOINT: 'opc.tcp://127.0.0.1:9/none', SESSION_SECRET: 'integration-test-secret-of-32-characters' });
const journalRows = (runtime: Runtime) => runtime.db.prepare("SELECT COUNT(*) FROM alarm_journal WHERE alarm_id = 'before-the-jump'").pluck().get();

test.skipIf(!fs.existsSync('/proc/sys/kernel/random/boot_id'))(
	'a clock set forward while the server was down is found at start, raises the clock alarm, is remembered, and ages no row early',
	async () => {
		const first = await startRuntime(config);
		// 100 rows stamped by the clock of then: a year behind.
		for (let i = 100; i > 0; i--)
			first.journal.append({ ts: Date.now() - YEAR - i * HOUR, alarmId: 'before-the-jump', line: 'line1', machine: null, priority: 3, from: 'normal', to: 'unack_active', action: null, value: null, user: null, comment: null, reason: null, message: { en: 'm', nl: 'm' } });
		await first.stop();
		const db = new Database(path.join(dataDir, 'hmi.db'));
		db.prepare('UPDATE clock_anchor SET wall = wall - ?').run(YEAR);
		db.close();

		const second = await startRuntime(config);
		try {
			expect(second.health().clock).toMatchObject({ jumps: 1, last: { how: 'same-boot' }, remembered: 1 });
			expect(Math.abs(second.health().clock.last!.jumpMs - YEAR)).toBeLessThan(60_000);
			expect(second.store.get(CLOCK_ALARM)?.value as unknown as AlarmRecord).toMatchObject({ state: 'unack_active', detail: 'forward' });
			// An alarm transition after the start: the newest row, stamped by the clock set right.
			second.journal.append({ ts: Date.now(), alarmId: 'after-the-jump', line: 'line1', machine: null, priority: 3, from: 'normal', to: 'unack_active', action: null, value: null, user: null, comment: null, reason: null, message: { en: 'm', nl: 'm' } });
			for (let i = 0; i < 5; i++) expect(second.retention.pruneNow()).toMatchObject({ skipped: null, journal: { removed: 0 } });
			expect(journalRows(second)).toBe(100);
		} finally {
			await second.stop();
		}

		// Remembered after the next restart: no new jump, the old one still corrects.
		const third = await startRuntime(config);
		try {
			expect(third.health().clock).toMatchObject({ jumps: 0, remembered: 1 });
			expect(third.retention.pruneNow()).toMatchObject({ journal: { removed: 0 } });
			expect(journalRows(third)).toBe(100);
		} finally {
			await third.stop();
		}
	},
	60_000
);
