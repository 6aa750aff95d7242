import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { AlarmRecord } from '../../src/lib/shared/alarms';
import { POST as alarmAction } from '../../src/routes/api/alarms/[action]/+server';
import { GET as journalRoute } from '../../src/routes/api/alarms/journal/+server';
import { GET as healthz } from '../../src/routes/healthz/+server';
import { handle } from '../../src/hooks.server';
import { SESSION_COOKIE } from '../../src/lib/shared/protocol';
import { readConfig } from '../../src/lib/server/config';
import { startRuntime, type Runtime } from '../../src/lib/server/runtime';
import type { Db } from '../../src/lib/server/store/db';
import { capDatabase, fillUp, uncapDatabase } from '../../src/lib/server/testing/full-disk';
import { captureLog } from '../../src/lib/server/testing/capture-log';
import { damageRootPage } from '../../src/lib/server/testing/damaged-page';
import { brokerUrlAs, startHmi, waitFor, type TestClient, type TestHmi } from './harness';
import { call, signedIn, useRuntime } from './routes';

// Storage faults reproduced on a running instance, on real SQLite files: a full disk (SQLite's
// max_page_count gives SQLITE_FULL on a real file, as a full disk does), a damaged page, a deleted or
// replaced hmi.db. The server must keep running, say what is wrong, and lose no acknowledged action.
const L2 = 'acme/utrecht/packaging/line2';
const FAULT = `${L2}/capper/_alarms/fault`;
const ESTOP = `${L2}/labeler/_alarms/estop`;
const JOURNAL_ALARM = '_sys/hmi/_alarms/journal_not_writable';
const FILE_ALARM = '_sys/hmi/_alarms/database_file';
const DAMAGED_ALARM = '_sys/hmi/_alarms/database_damaged';
const UNUSABLE_ALARM = '_sys/hmi/_alarms/database_unusable';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hmi-storage-'));
	dirs.push(dir);
	return dir;
};
const configFor = (dataDir: string) =>
	readConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', MQTT_PORT: '0', OPCUA_ENDPOINT: 'opc.tcp://127.0.0.1:9/none', SESSION_SECRET: 'integration-test-secret-of-32-characters' });

async function publish(url: string, topic: string, value: unknown): Promise<void> {
	const p = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
	await p.publishAsync(topic, JSON.stringify({ timestamp_ms: Date.now(), value }));
	await p.endAsync();
}

const alarmOf = (runtime: Runtime, id: string) => runtime.store.get(id)?.value as unknown as AlarmRecord | undefined;

/** Line 2's controller reports a capper fault: the alarm engine annunciates it whatever the database does. */
async function expectLiveAlarms(runtime: Runtime): Promise<void> {
	await waitFor(() => runtime.health().sources.mqtt.state === 'connected', 'mqtt connected');
	await publish(brokerUrlAs(runtime, 'line-line2'), `${L2}/capper/state`, 'fault');
	await waitFor(() => alarmOf(runtime, FAULT)?.state === 'unack_active', 'fault alarm');
}
const onScreen = (client: TestClient, id: string) => client.values.get(id)?.value as unknown as AlarmRecord | undefined;

/** Fills the journal's pages with small rows until the capped database refuses: the disk is full. */
function fillJournal(db: Db): number {
	capDatabase(db);
	const insert = db.prepare(
		"INSERT INTO alarm_journal (ts, alarm_id, line, priority, from_state, to_state, message) VALUES (?, 'filler', 'f', 4, 'normal', 'normal', '{}')"
	);
	return fillUp((i) => insert.run(i));
}

describe('the disk fills up while the server runs', () => {
	let hmi: TestHmi;
	beforeAll(async () => {
		hmi = await startHmi();
		useRuntime(hmi.runtime);
	});
	afterAll(async () => {
		useRuntime(undefined);
		await hmi?.stop();
	});

	test('alarm transitions go on, the system alarm shows on every screen, actions answer 200 with their rows queued, and the rows are written once there is room', async () => {
		const { runtime } = hmi;
		await waitFor(() => runtime.health().sources.mqtt.state === 'connected', 'mqtt connected');
		const client = hmi.connect();
		await client.subscribe([`${L2}/#`, '_sys/#']);
		const mia = await signedIn(runtime, 'mia', 'maintenance');
		const admin = await signedIn(runtime, 'ada', 'admin');

		// A latched emergency stop before the disk fills (reset is what answered 500 in the report).
		await publish(brokerUrlAs(runtime, 'line-line2'), `${L2}/labeler/reason_code`, 204);
		await waitFor(() => alarmOf(runtime, ESTOP)?.active, 'estop active');
		await publish(brokerUrlAs(runtime, 'line-line2'), `${L2}/labeler/reason_code`, 0);
		await waitFor(() => alarmOf(runtime, ESTOP)?.state === 'latched', 'estop latched');

		fillJournal(runtime.db);
		// The first alarm transition after that killed the process (uncaught SqliteError in the MQTT handler).
		await publish(brokerUrlAs(runtime, 'line-line2'), `${L2}/capper/state`, 'fault');
		await waitFor(() => onScreen(client, FAULT)?.state === 'unack_active', 'fault alarm on the screen');
		const journalAlarm = await waitFor(() => (onScreen(client, JOURNAL_ALARM)?.state === 'unack_active' ? onScreen(client, JOURNAL_ALARM) : null), 'system alarm on the screen');
		expect(journalAlarm).toMatchObject({ priority: 2, line: '_sys', detail: 'SQLITE_FULL', message: { en: 'Journal not writable: entries wait in memory' } });

		const publicHealth = await call(healthz, { user: null, path: '/healthz', method: 'GET' });
		expect(publicHealth.body).toMatchObject({ status: 'degraded', storage: 'failing' });
		const detail = await call(healthz, { user: admin, path: '/healthz?detail=1', method: 'GET' });
		expect(detail.body).toMatchObject({ storage: { state: 'failing', writes: { state: 'failing', lastError: { code: 'SQLITE_FULL' } } } });

		// Operator actions: the change takes effect, the answer says the record waits.
		const reset = await call(alarmAction, { user: mia, params: { action: 'reset' }, body: { id: ESTOP } });
		expect(reset).toEqual({ status: 200, body: { results: [{ id: ESTOP, ok: true, journal: 'queued' }] } });
		expect(alarmOf(runtime, ESTOP)?.state).toBe('normal');
		const ack = await call(alarmAction, { user: mia, params: { action: 'ack' }, body: { ids: [FAULT], comment: 'disk full drill' } });
		expect(ack).toEqual({ status: 200, body: { results: [{ id: FAULT, ok: true, journal: 'queued' }] } });
		expect(alarmOf(runtime, FAULT)?.state).toBe('ack_active');

		// Room again: the waiting rows are written (at the next retry) and the system alarm clears.
		uncapDatabase(runtime.db);
		const roomAt = Date.now();
		await waitFor(() => runtime.storage.health().writes.queued === 0, 'waiting rows written', 15_000);
		const writtenMs = Date.now() - roomAt;
		await waitFor(() => onScreen(client, JOURNAL_ALARM)?.state === 'rtn_unack', 'system alarm back to normal (unacknowledged)', 15_000);
		console.log(`[measure] disk full: ${runtime.storage.health().writes.writtenLate} waiting rows written ${writtenMs} ms after there was room; the journal alarm cleared after ${Date.now() - roomAt} ms`);
		const journal = await call(journalRoute, { user: mia, path: `/api/alarms/journal?alarm=${encodeURIComponent(L2)}`, method: 'GET' });
		const rows = (journal.body as { alarmId: string; action: string | null; user: string | null; comment: string | null }[]).map((r) => [r.alarmId, r.action, r.user, r.comment]);
		expect(rows).toContainEqual([FAULT, 'ack', 'mia', 'disk full drill']);
		expect(rows).toContainEqual([ESTOP, 'reset', 'mia', null]);
		expect(runtime.health().storage).toMatchObject({ state: 'ok', writes: { overflowed: 0, writtenLate: expect.any(Number) } });
		const journalOfSystemAlarm = runtime.journal.query({ alarm: JOURNAL_ALARM, limit: 10 }).map((r) => [r.from, r.to]);
		expect(journalOfSystemAlarm).toEqual([
			['unack_active', 'rtn_unack'],
			['normal', 'unack_active']
		]);
	}, 60_000);
});

describe('hmi.db deleted or replaced under the running server', () => {
	let hmi: TestHmi;
	afterEach(async () => {
		useRuntime(undefined);
		await hmi?.stop();
	});

	test('a deleted file is detected, raises the system alarm, shows in the health report, and a copy of the open database is saved', async () => {
		hmi = await startHmi();
		const { runtime } = hmi;
		const client = hmi.connect();
		await client.subscribe(['_sys/#']);
		fs.rmSync(runtime.storage.file);
		// What the periodic check (every DB_FILE_CHECK_MS) does.
		expect(runtime.storage.checkFile()).toBe('missing');
		await waitFor(() => onScreen(client, FILE_ALARM)?.state === 'unack_active', 'database file alarm on the screen');
		expect(onScreen(client, FILE_ALARM)).toMatchObject({ detail: 'missing', priority: 2 });
		expect(runtime.health()).toMatchObject({ status: 'degraded', storage: { state: 'missing', fileState: 'missing' } });
		const copy = await waitFor(() => runtime.storage.health().rescuedTo, 'rescue copy');
		expect(path.dirname(copy)).toBe(path.dirname(runtime.storage.file));
		expect(fs.statSync(copy).mode & 0o777).toBe(0o600);
		// The copy holds what only the running server still had: the users.
		const { default: Database } = await import('better-sqlite3');
		const rescued = new Database(copy, { readonly: true });
		expect(rescued.prepare('SELECT username FROM users').pluck().all()).toContain('op');
		rescued.close();
	});

	test('a replaced file is detected', async () => {
		hmi = await startHmi();
		const { runtime } = hmi;
		const other = path.join(path.dirname(runtime.storage.file), 'other.db');
		fs.copyFileSync(runtime.storage.file, other);
		fs.renameSync(other, runtime.storage.file);
		expect(runtime.storage.checkFile()).toBe('replaced');
		await waitFor(() => alarmOf(runtime, FILE_ALARM)?.state === 'unack_active', 'database file alarm');
		expect(alarmOf(runtime, FILE_ALARM)?.detail).toBe('replaced');
	});
});

describe('starting on a bad disk never crash-loops', () => {
	test('a restart with the disk still full starts, serves, and says what is wrong', async () => {
		const dataDir = tempDir();
		const first = await startRuntime(configFor(dataDir));
		await first.auth.createUser('olga', 'olga-password-1', 'operator');
		await first.stop();

		const runtime = await startRuntime(configFor(dataDir), { prepareDatabase: (db) => void fillJournal(db) });
		try {
			// Reads work: users can sign in.
			expect((await runtime.auth.login('olga', 'olga-password-1', 'test')).ok).toBe(true);
			await expectLiveAlarms(runtime);
			await waitFor(() => alarmOf(runtime, JOURNAL_ALARM)?.state === 'unack_active', 'journal alarm');
			expect(runtime.health().storage).toMatchObject({ state: 'failing', integrity: 'ok' });
		} finally {
			await runtime.stop();
		}
	}, 60_000);

	test('a damaged page: quick_check finds it at start, the server starts, raises the alarm and serves what it can (503 for the unreadable journal)', async () => {
		const dataDir = tempDir();
		const first = await startRuntime(configFor(dataDir));
		await first.auth.createUser('olga', 'olga-password-1', 'operator');
		first.journal.append({ ts: Date.now(), alarmId: 'x', line: 'line2', machine: null, priority: 3, from: 'normal', to: 'unack_active', action: null, value: null, user: null, comment: null, reason: null, message: { en: 'x', nl: 'x' } });
		const journalRoot = first.db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'alarm_journal'").pluck().get() as number;
		const pageSize = first.db.pragma('page_size', { simple: true }) as number;
		await first.stop();
		garbage(path.join(dataDir, 'hmi.db'), (journalRoot - 1) * pageSize, pageSize);

		const { log, lines } = captureLog('info');
		const runtime = await startRuntime(configFor(dataDir), { log });
		useRuntime(runtime);
		try {
			expect(runtime.health().storage).toMatchObject({ state: 'damaged', integrity: 'damaged', problems: [expect.stringMatching(/page|SQLITE_CORRUPT/)] });
			expect(lines().some((l) => l.msg?.toString().startsWith('storage: the database failed its integrity check (quick_check)'))).toBe(true);
			expect(alarmOf(runtime, DAMAGED_ALARM)).toMatchObject({ state: 'unack_active', priority: 2 });
			const login = await runtime.auth.login('olga', 'olga-password-1', 'test');
			if (!login.ok) throw new Error('olga could not sign in on the damaged database');
			const journal = await call(journalRoute, { user: login.user, path: '/api/alarms/journal', method: 'GET' });
			expect(journal).toMatchObject({ status: 503, body: { code: 'HMI_ERR_STORAGE' } });
			// Live alarms go on (their journal rows wait: the journal's pages are damaged).
			await expectLiveAlarms(runtime);
		} finally {
			useRuntime(undefined);
			await runtime.stop();
		}
	}, 60_000);

	test('a damaged index of the users and sessions tables: the server starts, and a request with a session cookie gets a defined answer', async () => {
		// Reproduced: the reserved-names check read the users table unguarded at start (SQLITE_CORRUPT: no start
		// at all), and the session check in the hooks answered every request with a cookie with 500.
		const dataDir = tempDir();
		const first = await startRuntime(configFor(dataDir));
		await first.auth.createUser('olga', 'olga-password-1', 'operator');
		const login = await first.auth.login('olga', 'olga-password-1', 'test');
		if (!login.ok) throw new Error('olga could not sign in');
		await first.stop();
		damageRootPage(path.join(dataDir, 'hmi.db'), 'sqlite_autoindex_users_1');
		damageRootPage(path.join(dataDir, 'hmi.db'), 'sqlite_autoindex_sessions_1');

		const runtime = await startRuntime(configFor(dataDir));
		useRuntime(runtime);
		try {
			expect(runtime.health().storage).toMatchObject({ state: 'damaged', integrity: 'damaged' });
			expect(alarmOf(runtime, DAMAGED_ALARM)).toMatchObject({ state: 'unack_active' });
			// The session cannot be checked: an API request says so (503, translated for the user), a page is
			// rendered for nobody signed in (the sign-in page), never a 500.
			const api = await throughHooks('/api/alarms/journal', login.token, 'application/json');
			expect(api).toMatchObject({ status: 503, reached: false, body: { code: 'HMI_ERR_STORAGE' } });
			const page = await throughHooks('/operator', login.token, 'text/html');
			expect(page).toMatchObject({ status: 200, reached: true, user: null });
			// Live values go on.
			await expectLiveAlarms(runtime);
		} finally {
			useRuntime(undefined);
			await runtime.stop();
		}
	}, 60_000);

	test('a file that is no database at all: the server starts on an in-memory database, says so, and leaves the file as it was', async () => {
		const dataDir = tempDir();
		const first = await startRuntime(configFor(dataDir));
		await first.stop();
		const file = path.join(dataDir, 'hmi.db');
		garbage(file, 0, 4096);
		const before = fs.readFileSync(file);

		const { log, lines } = captureLog('info');
		const runtime = await startRuntime(configFor(dataDir), { log });
		try {
			expect(runtime.health()).toMatchObject({ status: 'degraded', storage: { state: 'unusable', integrity: 'unusable', problems: [expect.stringContaining('SQLITE_NOTADB')] } });
			expect(alarmOf(runtime, UNUSABLE_ALARM)).toMatchObject({ state: 'unack_active', priority: 1, message: { nl: 'Database onbruikbaar: na een herstart is niets bewaard' } });
			expect(lines().find((l) => l.code === 'SQLITE_NOTADB')?.msg).toMatch(/^storage: the database cannot be used; the server runs on an empty in-memory database/);
			await expectLiveAlarms(runtime);
		} finally {
			await runtime.stop();
		}
		expect(fs.readFileSync(file).equals(before)).toBe(true);
	}, 60_000);
});

describe('file permissions', () => {
	test('a new data directory is 0700 and hmi.db, -wal and -shm are 0600', async () => {
		const dataDir = path.join(tempDir(), 'fresh');
		const runtime = await startRuntime(configFor(dataDir));
		try {
			expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
			for (const f of ['hmi.db', 'hmi.db-wal', 'hmi.db-shm']) expect(fs.statSync(path.join(dataDir, f)).mode & 0o777, f).toBe(0o600);
		} finally {
			await runtime.stop();
		}
	});

	test('an existing directory and database that others could read are tightened at start, and it is logged', async () => {
		const dataDir = tempDir();
		const first = await startRuntime(configFor(dataDir));
		await first.stop();
		fs.chmodSync(dataDir, 0o755);
		fs.chmodSync(path.join(dataDir, 'hmi.db'), 0o644);
		const { log, lines } = captureLog('info');
		const runtime = await startRuntime(configFor(dataDir), { log });
		try {
			expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
			expect(fs.statSync(path.join(dataDir, 'hmi.db')).mode & 0o777).toBe(0o600);
			const tightened = lines().filter((l) => l.msg === 'storage: permissions were wider than needed and have been tightened');
			expect(tightened.map((l) => [l.path, l.was])).toEqual([
				[dataDir, '755'],
				[path.join(dataDir, 'hmi.db'), '644']
			]);
		} finally {
			await runtime.stop();
		}
	});
});

/**
 * One request through the real `handle` hook with a session cookie; the route is a stand-in that reports
 * whom the hook signed in.
 */
async function throughHooks(pathname: string, token: string, accept: string): Promise<{ status: number; body: unknown; reached: boolean; user?: unknown }> {
	const url = new URL(pathname, 'http://localhost:3000');
	const request = new Request(url, { headers: { host: 'localhost:3000', accept, cookie: `${SESSION_COOKIE}=${token}` } });
	const cookies = { get: (name: string) => (name === SESSION_COOKIE ? token : undefined), set: () => {}, delete: () => {}, getAll: () => [] };
	const event = { request, url, cookies, locals: {} as { user?: unknown }, params: {}, getClientAddress: () => '192.0.2.7', route: { id: pathname }, isSubRequest: false };
	let reached = false;
	const resolve = async (ev: typeof event) => {
		reached = true;
		return Response.json({ user: ev.locals.user ?? null });
	};
	const response = await handle({ event, resolve } as never);
	const body = (await response.json()) as Record<string, unknown>;
	return { status: response.status, body, reached, ...(reached ? { user: body.user } : {}) };
}

/** Writes `length` bytes of garbage into a real file at `offset` (a damaged page). */
function garbage(file: string, offset: number, length: number): void {
	const fd = fs.openSync(file, 'r+');
	fs.writeSync(fd, Buffer.alloc(length, 0x5a), 0, length, offset);
	fs.closeSync(fd);
}
