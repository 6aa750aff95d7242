import Database from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { DEFAULT_LANG, LANGS, localText, toLang, type Lang, type LocalText } from '$lib/shared/languages';
import { loadLocales } from '$lib/locales';
import { UserRepo } from '../auth/users';
import { localTextSchema } from '../domain/plant/schema';
import { pickLanguage } from '../http/language';
import { testGuard } from '../testing/test-guard';
import { AlarmJournal } from './alarm-journal';
import { configure, migrate, openDatabase, type Db } from './db';
import { migrations } from './migrations';

/** The migration that made languages data (8th, user_version 7 → 8). */
const LANGUAGES_AS_DATA = 8;

describe('migration 8: languages are data', () => {
	test('an existing database keeps every user’s language, their sessions and every alarm message', () => {
		const db: Db = new Database(':memory:');
		configure(db);
		for (const sql of migrations.slice(0, LANGUAGES_AS_DATA - 1)) db.exec(sql);
		db.pragma(`user_version = ${LANGUAGES_AS_DATA - 1}`);
		db.exec(`INSERT INTO users (id, username, password_hash, role, lang, created_at) VALUES (1, 'piet', 'x', 'operator', 'nl', 1);
			INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES ('s1', 1, 1, 2);
			INSERT INTO alarm_journal (ts, alarm_id, line, priority, from_state, to_state, message_en, message_nl)
				VALUES (5, 'a/_alarms/x', 'line1', 2, 'normal', 'unack_active', 'Temperature high', 'Temperatuur hoog');`);

		migrate(db);

		expect(new UserRepo(db).byId(1)?.lang).toBe('nl');
		expect(db.prepare('SELECT id FROM sessions').pluck().all()).toEqual(['s1']);
		const [entry] = new AlarmJournal(db, testGuard(db)).query({ limit: 10 });
		expect(entry.message).toEqual({ en: 'Temperature high', nl: 'Temperatuur hoog' });
	});
});

/**
 * German, added the way the list in $lib/shared/languages says: every part below takes the list (or is
 * given a longer one here) and needs no other change — no migration, no schema edit.
 */
describe('a third language needs no code, schema or migration change', () => {
	const WITH_GERMAN = [...LANGS, 'de'] as const;
	const de = 'de' as Lang;

	test('the plant model takes German texts once the list has German, and only then', () => {
		const label = { en: 'Filler', nl: 'Vuller', de: 'Füller' };
		expect(localTextSchema(WITH_GERMAN).parse(label)).toEqual(label);
		expect(localTextSchema(LANGS).safeParse(label).success).toBe(false);
	});

	test('a German browser gets German; a text without German reads as English', () => {
		expect(pickLanguage(undefined, 'de-DE,de;q=0.9,en;q=0.5', WITH_GERMAN)).toBe('de');
		expect(pickLanguage('de', null, WITH_GERMAN)).toBe('de');
		expect(pickLanguage(undefined, 'de-DE', LANGS)).toBe(DEFAULT_LANG);
		expect(toLang('de', WITH_GERMAN)).toBe('de');
		// Typed for the two languages of today's list: German is a key TypeScript learns of when the list has it.
		expect(localText({ en: 'Filler', de: 'Füller' } as LocalText, de)).toBe('Füller');
		expect(localText({ en: 'Filler', nl: 'Vuller' }, de)).toBe('Filler');
	});

	test('the database stores a German user and a German alarm message as they are', () => {
		const db = openDatabase(':memory:');
		const users = new UserRepo(db);
		const id = users.create('hans', 'x', 'operator', 1);
		users.setLang(id, de);
		expect(db.prepare('SELECT lang FROM users WHERE id = ?').pluck().get(id)).toBe('de');

		const journal = new AlarmJournal(db, testGuard(db));
		const message = { en: 'Temperature high', nl: 'Temperatuur hoog', de: 'Temperatur hoch' };
		journal.append({ ts: 1, alarmId: 'a/_alarms/x', line: 'line1', machine: null, priority: 2, from: 'normal', to: 'unack_active', action: null, value: null, user: null, comment: null, reason: null, message });
		expect(journal.query({ limit: 1 })[0].message).toEqual(message);
	});

	test('a language without a locale file is refused by name, not shown as bare keys', () => {
		expect(() => loadLocales(WITH_GERMAN)).toThrow('no locale file locales/de.json for language "de"');
		expect(Object.keys(loadLocales(LANGS))).toEqual([...LANGS]);
	});
});
