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
import { SetpointService, type SetpointWriter } from './setpoint-service';

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

	const service = (write: SetpointWriter = async (t, v) => void sent.push([t.path, v])) =>
		new SetpointService({ plant, store, sources, audit, clock, log: silentLog, write });

	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'setpoint-service-'));
		db = openDatabase(path.join(dir, 'hmi.db'));
		store = new TagStore();
		sources = new SourceStatus(store, clock);
		sources.register('opcua-line1', {});
		sources.setState('opcua-line1', 'connected');
		audit = new AuditLog(db);
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
			throw new Error('BadOutOfRange');
		}).write('olga', SPEED, 450);
		expect(result).toMatchObject({ ok: false, status: 502, code: 'HMI_ERR_SETPOINT_WRITE_FAILED' });
		expect(audit.query({ limit: 10 })).toMatchObject([{ oldValue: 500, newValue: 450, detail: { result: 'failed', reason: 'BadOutOfRange' } }]);
	});
});
