import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { SYSTEM_TAGS } from '../domain/alarms/system';
import { TagStore } from '../domain/tags/tag-store';
import { FakeClock } from '../testing/fake-clock';
import { capDatabase, fillUp, uncapDatabase } from '../testing/full-disk';
import { silentLog } from '../testing/silent-log';
import { DB_FILE_CHECK_MS, Storage } from './storage';

let dir: string;
let clock: FakeClock;
let store: TagStore;
let storage: Storage;
const tag = (p: string) => store.get(p)?.value;

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storage-'));
	clock = new FakeClock();
	store = new TagStore();
	storage = new Storage({ dataDir: dir, clock, log: silentLog });
	storage.publishTo(store);
});
afterEach(() => {
	storage.stop();
	fs.rmSync(dir, { recursive: true, force: true });
});

describe('Storage', () => {
	test('publishes its conditions as _sys/hmi/storage tags', () => {
		expect([SYSTEM_TAGS.storageWrites, SYSTEM_TAGS.storageFile, SYSTEM_TAGS.storageIntegrity, SYSTEM_TAGS.storageError].map(tag)).toEqual(['ok', 'ok', 'ok', null]);
		expect(storage.health()).toMatchObject({ state: 'ok', integrity: 'ok', fileState: 'ok', problems: [] });
	});

	test('the periodic check finds hmi.db deleted under the running server', () => {
		fs.rmSync(path.join(dir, 'hmi.db'));
		clock.advance(DB_FILE_CHECK_MS - 1);
		expect(tag(SYSTEM_TAGS.storageFile)).toBe('ok');
		clock.advance(1);
		expect(tag(SYSTEM_TAGS.storageFile)).toBe('missing');
		expect(storage.health().state).toBe('missing');
	});

	test('refused writes show as failing with their SQLite code, and as ok once written', () => {
		capDatabase(storage.db);
		const insert = storage.db.prepare("INSERT INTO audit_log (ts, user, action, target) VALUES (?, 'u', 'a', 't')");
		fillUp((i) => insert.run(i));
		storage.guard.write('audit', {}, () => insert.run(-1));
		clock.flushImmediates();
		expect([tag(SYSTEM_TAGS.storageError), tag(SYSTEM_TAGS.storageWrites)]).toEqual(['SQLITE_FULL', 'failing']);
		uncapDatabase(storage.db);
		storage.guard.retry();
		clock.flushImmediates();
		expect(tag(SYSTEM_TAGS.storageWrites)).toBe('ok');
	});
});
