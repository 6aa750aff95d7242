import { describe, expect, test } from 'vitest';
import en from '$locales/en.json';
import nl from '$locales/nl.json';
import { ALARM_STATES, PRIORITY_NAMES, SYSTEM_ALARMS } from '$lib/shared/alarms';
import { miniPlant } from '$lib/testing/mini-plant';
import { Locale } from '$lib/i18n.svelte';
import { UNIT_SPACE, NO_VALUE } from '$lib/format';
import { causeText, journalPlaceText, messageText, placeText, valueText } from './alarm-text';
import { actionKey, REFUSAL_KEYS } from './alarm-outcome';
import { JOURNAL_RANGES } from './journal-range';
import { locate, type RowAction } from './alarms';

const L1 = 'acme/utrecht/packaging/line1';
const plant = miniPlant;

function leaf(tree: object, key: string): unknown {
	return key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], tree);
}

describe('every alarm text exists in both languages', () => {
	const keys = [
		...ALARM_STATES.map((s) => `alarms.state.${s}`),
		...Object.values(PRIORITY_NAMES).flatMap((p) => [`alarms.priority.${p}`, `alarms.banner.count.${p}`]),
		...REFUSAL_KEYS,
		...(['ack', 'shelve', 'unshelve', 'out-of-service', 'return-to-service', 'reset'] satisfies RowAction[]).flatMap((a) => [
			`alarms.do.${actionKey(a)}`,
			`alarms.done.${actionKey(a)}`
		]),
		'alarms.done.expire',
		...JOURNAL_RANGES.map((r) => `alarms.journal.ranges.${r}`),
		'alarms.system.place',
		...SYSTEM_ALARMS.map((a) => `alarms.system.${a}`),
		...['failing', 'missing', 'replaced', 'damaged', 'unusable', 'forward', 'backward', 'SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_CORRUPT'].map((c) => `alarms.cause.${c}`),
		'alarms.result.queued_one',
		'alarms.result.queued_other'
	];
	test.each(keys)('%s', (key) => {
		expect(leaf(en, key), `en ${key}`).toBeTypeOf('string');
		expect(leaf(nl, key), `nl ${key}`).toBeTypeOf('string');
	});
});

describe('counted texts use the language plural rules', () => {
	test.each([
		['en', 1, '1 entry', 'Acknowledge 1 alarm'],
		['en', 2, '2 entries', 'Acknowledge 2 alarms'],
		['nl', 1, '1 regel', '1 alarm bevestigen'],
		['nl', 1234, '1.234 regels', '1.234 alarmen bevestigen']
	] as const)('%s %s', (lang, count, entries, ack) => {
		const l = new Locale(lang);
		const n = l.count(count);
		expect(l.t('alarms.journal.count', { count, n })).toBe(entries);
		expect(l.t('alarms.dialog.ackAllTitle', { count, n })).toBe(ack);
	});
});

describe('alarm texts', () => {
	const locale = new Locale('nl');
	locale.setPlant(plant);
	const fault = { id: `${L1}/filler/_alarms/fault`, line: 'line1', machine: 'filler' };
	const tempH = { id: `${L1}/filler/_alarms/product_temperature_h`, line: 'line1', machine: 'filler' };

	test('message in the user language, English when missing', () => {
		expect(messageText({ en: 'Machine fault', nl: 'Machinestoring' }, 'nl')).toBe('Machinestoring');
		expect(messageText({ en: 'Machine fault', nl: '' }, 'nl')).toBe('Machine fault');
		expect(messageText(null, 'en')).toBe(NO_VALUE);
	});

	test('place: line and machine labels; raw ids for what the plant does not know', () => {
		expect(placeText(locale, locate(plant, fault))).toBe('Lijn 1 · Vuller');
		expect(placeText(locale, locate(plant, { id: `${L1}/_alarms/comms`, line: 'line1', machine: undefined }))).toBe('Lijn 1');
		expect(journalPlaceText(locale, plant, { alarmId: 'x/_alarms/y', line: 'line9', machine: 'm' })).toBe('line9 · m');
	});

	test('value: with the watched tag unit; states by name', () => {
		expect(valueText(locale, 10.46, locate(plant, tempH))).toBe(`10,5${UNIT_SPACE}°C`);
		expect(valueText(locale, 'fault')).toBe('Storing');
		expect(valueText(locale, 'disconnected')).toBe('verbroken');
		expect(valueText(locale, null)).toBe(NO_VALUE);
		expect(valueText(locale, 1234.5)).toBe('1.234,5');
	});

	test('a system alarm: at the HMI server, its value and cause in words', () => {
		const journalAlarm = { id: '_sys/hmi/_alarms/journal_not_writable', line: '_sys', machine: undefined };
		expect(placeText(locale, locate(plant, journalAlarm), journalAlarm)).toBe('HMI-server');
		expect(journalPlaceText(locale, plant, { alarmId: journalAlarm.id, line: '_sys', machine: null })).toBe('HMI-server');
		expect(valueText(locale, 'failing')).toBe('Opslaan mislukt');
		expect(causeText(locale, 'SQLITE_FULL')).toBe('Schijf vol');
		expect(causeText(locale, 'backward')).toBe('Achteruit');
		expect(causeText(locale, 'SQLITE_SOMETHING_NEW')).toBe('SQLITE_SOMETHING_NEW');
	});

	test('cause: the reason label of a fault code', () => {
		expect(causeText(locale, 201)).toBe('Flessenopstopping');
		expect(causeText(locale, 299)).toBe('299');
		expect(causeText(locale, 0)).toBeNull();
		expect(causeText(locale, null)).toBeNull();
	});
});
