import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Quality } from '$lib/shared/protocol';
import { SourceStatus } from '../connectors/source-status';
import { parsePlantModel } from '../domain/plant/load';
import { TagStore } from '../domain/tags/tag-store';
import { AuditLog } from '../store/audit-log';
import { openDatabase, type Db } from '../store/db';
import { FakeClock } from '../testing/fake-clock';
import { silentLog } from '../testing/silent-log';
import { testGuard } from '../testing/test-guard';
import { capDatabase, fillUp, uncapDatabase } from '../testing/full-disk';
import { SetpointService, SetpointWriteError, WRITTEN_VALUE_HOLD_MS, type SetpointReadBack, type SetpointWriter } from './setpoint-service';

const plant = parsePlantModel(fs.readFileSync('config/plant.json', 'utf8'), 'config/plant.json');
const SPEED = 'acme/utrecht/packaging/line1/filler/speed_target';

describe('SetpointService', () => {
	let dir: string;
	let db: Db;
	let store: TagStore;
	let sources: SourceStatus;
	let audit: AuditLog;
	const clock = new FakeClock(Date.parse('2026-11-24T06:00:00Z'));
	const sent: [string, number][] = [];

	const service = (write: SetpointWriter = async (t, v) => (sent.push([t.path, v]), 'written')) =>
		new SetpointService({ plant, store, sources, audit, clock, log: silentLog, write });

	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'setpoint-service-'));
		db = openDatabase(path.join(dir, 'hmi.db'));
		store = new TagStore();
		sources = new SourceStatus(store, clock);
		sources.register('opcua-line1', {});
		sources.setState('opcua-line1', 'connected');
		audit = new AuditLog(db, testGuard(db));
		sent.length = 0;
		store.apply({ path: SPEED, value: 500, quality: Quality.Good, sourceTs: clock.now(), serverTs: clock.now(), origin: 'opcua-line1' });
	});
	afterEach(() => {
		db.close();
		fs.rmSync(dir, { recursive: true, force: true });
	});

	test('a good write goes to the source and is audited with old and new value', async () => {
		const result = await service().write('olga', SPEED, 450);
		expect(sent).toEqual([[SPEED, 450]]);
		expect(result).toMatchObject({ ok: true, entry: { user: 'olga', action: 'setpoint.write', target: SPEED, oldValue: 500, newValue: 450 } });
		expect(audit.query({ limit: 10 })).toHaveLength(1);
	});

	test('a value within float noise of the step grid is sent as the grid value, not unrounded', async () => {
		const result = await service().write('olga', SPEED, 450 + 1e-9);
		expect(sent).toEqual([[SPEED, 450]]);
		expect(result).toMatchObject({ ok: true, entry: { newValue: 450 } });
	});

	test.each([
		['value off the step', () => {}, 455, undefined, 400, 'HMI_ERR_SETPOINT_OFF_STEP'],
		['value over max', () => {}, 610, undefined, 400, 'HMI_ERR_SETPOINT_OUT_OF_RANGE'],
		['source down', () => sources.setState('opcua-line1', 'disconnected'), 450, undefined, 409, 'HMI_ERR_SETPOINT_SOURCE_DOWN'],
		['tag stale', () => store.setQuality(SPEED, Quality.Stale, 'opcua-line1', clock.now()), 450, undefined, 409, 'HMI_ERR_SETPOINT_STALE'],
		['tag bad', () => store.setQuality(SPEED, Quality.Bad, 'opcua-line1', clock.now()), 450, undefined, 409, 'HMI_ERR_SETPOINT_STALE'],
		['value changed meanwhile', () => {}, 450, 480, 409, 'HMI_ERR_SETPOINT_CHANGED']
	])('%s → %s %s, nothing sent or audited', async (_name, arrange, value, expected, status, code) => {
		arrange();
		const result = await service().write('olga', SPEED, value, expected);
		expect(result).toMatchObject({ ok: false, status, code });
		expect(sent).toEqual([]);
		expect(audit.query({ limit: 10 })).toEqual([]);
	});

	test('a write the source refuses is a 502, and the failed attempt is audited', async () => {
		const result = await service(async () => {
			throw new SetpointWriteError('failed', 'BadOutOfRange');
		}).write('olga', SPEED, 450);
		expect(result).toMatchObject({ ok: false, status: 502, code: 'HMI_ERR_SETPOINT_WRITE_FAILED' });
		expect(audit.query({ limit: 10 })).toMatchObject([{ oldValue: 500, newValue: 450, detail: { result: 'failed', reason: 'BadOutOfRange' } }]);
	});

	test('the attempt is on disk, pending, before the value goes to the source; then it carries the outcome', async () => {
		let seenBySource: unknown;
		const result = await service(async (t, v) => {
			// What a second connection to the database file sees at the moment the value leaves.
			const other = openDatabase(path.join(dir, 'hmi.db'));
			seenBySource = new AuditLog(other, testGuard(other)).query({ limit: 10 });
			other.close();
			sent.push([t.path, v]);
			return 'written';
		}).write('olga', SPEED, 450);
		expect(seenBySource).toMatchObject([{ user: 'olga', target: SPEED, oldValue: 500, newValue: 450, detail: { result: 'pending', source: 'opcua-line1' } }]);
		expect(result).toMatchObject({ ok: true, entry: { detail: { result: 'written' } } });
		expect(audit.query({ limit: 10 })).toMatchObject([{ newValue: 450, detail: { result: 'written', settledTs: clock.now() } }]);
	});

	test('when the attempt cannot be audited (disk full), nothing is sent and nothing waits to be written', async () => {
		const svc = service();
		capDatabase(db);
		fillUp((i) => db.prepare('INSERT INTO audit_log (ts, user, action, target) VALUES (?, ?, ?, ?)').run(i, 'filler', 'fill', 'x'));
		expect(await svc.write('olga', SPEED, 450)).toMatchObject({ ok: false, status: 503, code: 'HMI_ERR_STORAGE' });
		expect(sent).toEqual([]);
		// Room again: no attempt turns up later for a write that was never made.
		uncapDatabase(db);
		expect(audit.query({ action: 'setpoint.', limit: 10 })).toEqual([]);
	});

	test('when the database is gone, nothing is sent', async () => {
		const svc = service();
		db.close();
		expect(await svc.write('olga', SPEED, 450)).toMatchObject({ ok: false, status: 503, code: 'HMI_ERR_STORAGE' });
		expect(sent).toEqual([]);
		db = openDatabase(path.join(dir, 'hmi.db'));
	});

	test('a command a broker took is audited as sent (the machine reports the value on its tag)', async () => {
		const result = await service(async () => 'sent').write('olga', SPEED, 450);
		expect(result).toMatchObject({ ok: true, entry: { detail: { result: 'sent' } } });
		expect(audit.query({ limit: 1 })[0].detail).toMatchObject({ result: 'sent' });
	});

	test('a write the HMI stopped in the middle of stays on record and is unknown after the next start', async () => {
		const svc = service((t, v) => (sent.push([t.path, v]), new Promise<never>(() => {})));
		void svc.write('olga', SPEED, 450);
		await Promise.resolve();
		expect(sent).toEqual([[SPEED, 450]]);
		expect(audit.query({ limit: 10 })).toMatchObject([{ newValue: 450, detail: { result: 'pending' } }]);
		// The process dies here; the next one opens the same database.
		clock.advance(60_000);
		service();
		expect(audit.query({ limit: 10 })).toMatchObject([
			{ user: 'olga', newValue: 450, detail: { result: 'unknown', reason: 'the HMI stopped before the outcome was known', settledTs: clock.now() } }
		]);
		expect(audit.pending('setpoint.write')).toEqual([]);
	});

	test('no answer in time: 504 HMI_ERR_SETPOINT_OUTCOME_UNKNOWN (not failed), audited unknown, then what the source holds is added', async () => {
		let readBack: (r: SetpointReadBack | undefined) => void = () => {};
		let calls = 0;
		const svc = service(async () => {
			if (calls++ > 0) return 'written';
			throw new SetpointWriteError('unknown', 'no answer from opcua-line1 within 5000 ms', { readBack: new Promise((resolve) => (readBack = resolve)) });
		});
		const result = await svc.write('olga', SPEED, 450, 500);
		expect(result).toMatchObject({ ok: false, status: 504, code: 'HMI_ERR_SETPOINT_OUTCOME_UNKNOWN' });
		expect(audit.query({ limit: 1 })[0]).toMatchObject({ oldValue: 500, newValue: 450, detail: { result: 'unknown', reason: 'no answer from opcua-line1 within 5000 ms' } });
		readBack({ value: 500, ts: clock.now() + 800 });
		await new Promise((r) => setImmediate(r));
		expect(audit.query({ limit: 1 })[0].detail).toMatchObject({ result: 'unknown', readBack: 500, readBackTs: clock.now() + 800 });
		// Not written as far as we know: the tag's own value still counts for the next write.
		expect(await svc.write('piet', SPEED, 550, 500)).toMatchObject({ ok: true, entry: { oldValue: 500 } });
	});

	test('a writer error that does not say nothing went out counts as unknown', async () => {
		const result = await service(async () => {
			throw new Error('socket hang up');
		}).write('olga', SPEED, 450);
		expect(result).toMatchObject({ ok: false, status: 504, code: 'HMI_ERR_SETPOINT_OUTCOME_UNKNOWN' });
		expect(audit.query({ limit: 1 })[0].detail).toMatchObject({ result: 'unknown', reason: 'socket hang up' });
	});

	test("a value the source's data type cannot hold: 400 HMI_ERR_SETPOINT_TYPE_RANGE, audited as failed", async () => {
		const result = await service(async () => {
			throw new SetpointWriteError('failed', '40000 does not fit Int16 (-32768…32767)', { code: 'HMI_ERR_SETPOINT_TYPE_RANGE' });
		}).write('olga', SPEED, 450);
		expect(result).toMatchObject({ ok: false, status: 400, code: 'HMI_ERR_SETPOINT_TYPE_RANGE' });
		expect(audit.query({ limit: 1 })[0].detail).toMatchObject({ result: 'failed', reason: '40000 does not fit Int16 (-32768…32767)' });
	});

	test('one write in flight per setpoint: a second one at the same time gets 409 HMI_ERR_SETPOINT_BUSY and is not sent', async () => {
		let confirm: () => void = () => {};
		const svc = service((t, v) => {
			sent.push([t.path, v]);
			return new Promise((resolve) => (confirm = () => resolve('written')));
		});
		const first = svc.write('olga', SPEED, 450, 500);
		const second = await svc.write('piet', SPEED, 550, 500);
		expect(second).toMatchObject({ ok: false, status: 409, code: 'HMI_ERR_SETPOINT_BUSY' });
		expect(sent).toEqual([[SPEED, 450]]);
		confirm();
		expect(await first).toMatchObject({ ok: true });
		// Done: the next write may go (and must name the value just written as the one it saw).
		const third = svc.write('piet', SPEED, 550, 450);
		confirm();
		expect(await third).toMatchObject({ ok: true, entry: { oldValue: 450, newValue: 550 } });
		expect(audit.query({ limit: 10 }).map((e) => e.user)).toEqual(['piet', 'olga']);
	});

	test('a failed or unknown write frees the setpoint too', async () => {
		const svc = service(async () => {
			throw new SetpointWriteError('failed', 'not connected to the broker');
		});
		expect(await svc.write('olga', SPEED, 450)).toMatchObject({ code: 'HMI_ERR_SETPOINT_WRITE_FAILED' });
		expect(await svc.write('olga', SPEED, 450)).toMatchObject({ code: 'HMI_ERR_SETPOINT_WRITE_FAILED' });
		const unknown = service(async () => {
			throw new SetpointWriteError('unknown', 'no PUBACK');
		});
		expect(await unknown.write('olga', SPEED, 450)).toMatchObject({ code: 'HMI_ERR_SETPOINT_OUTCOME_UNKNOWN' });
		expect(await unknown.write('olga', SPEED, 450)).toMatchObject({ code: 'HMI_ERR_SETPOINT_OUTCOME_UNKNOWN' });
	});

	// Olga writes 450 over 500; the source has not reported yet (or has). Then Piet writes 550 having seen `expected`.
	test.each([
		['source silent, Piet saw 500 (stale screen)', 0, null, 500, 'HMI_ERR_SETPOINT_CHANGED', undefined],
		['source silent, Piet saw 450', 0, null, 450, null, 450],
		['source silent 9.999 s, Piet saw 450', WRITTEN_VALUE_HOLD_MS - 1, null, 450, null, 450],
		['source silent 10 s: the tag counts again, Piet saw 500', WRITTEN_VALUE_HOLD_MS, null, 500, null, 500],
		['source reported 450, Piet saw 450', 100, 450, 450, null, 450],
		['source reported 480 (clamped), Piet saw 480', 100, 480, 480, null, 480],
		['source reported 480, Piet saw 450', 100, 480, 450, 'HMI_ERR_SETPOINT_CHANGED', undefined]
	])('after a write: %s', async (_name, waitMs, reported, expected, code, oldValue) => {
		const svc = service();
		expect(await svc.write('olga', SPEED, 450, 500)).toMatchObject({ ok: true, entry: { oldValue: 500, newValue: 450 } });
		clock.advance(waitMs);
		if (reported !== null)
			store.apply({ path: SPEED, value: reported, quality: Quality.Good, sourceTs: clock.now(), serverTs: clock.now(), origin: 'opcua-line1' });
		const result = await svc.write('piet', SPEED, 550, expected);
		if (code) expect(result).toMatchObject({ ok: false, status: 409, code });
		else expect(result).toMatchObject({ ok: true, entry: { user: 'piet', oldValue, newValue: 550 } });
	});
});
