import { describe, expect, test } from 'vitest';
import en from '$locales/en.json';
import nl from '$locales/nl.json';
import { miniPlant } from '$lib/testing/mini-plant';
import { APP_TEXTS } from '$lib/locales';
import { LANGS, toLang } from '$lib/shared/languages';
import { Locale, plantKey, plantResources } from './i18n.svelte';
import { UNIT_SPACE } from './format';

/** Every leaf key as `a.b.c`. */
function keys(tree: object, prefix = ''): string[] {
	return Object.entries(tree).flatMap(([k, v]) =>
		v !== null && typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]
	);
}

/** `{{name}}` placeholders in a text. */
const placeholders = (s: string) => [...s.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]).sort();

function leaf(tree: object, key: string): unknown {
	return key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], tree);
}

describe('locales', () => {
	test('en and nl have exactly the same keys', () => {
		const a = new Set(keys(en));
		const b = new Set(keys(nl));
		expect([...a].filter((k) => !b.has(k)), 'keys missing in nl.json').toEqual([]);
		expect([...b].filter((k) => !a.has(k)), 'keys missing in en.json').toEqual([]);
	});

	test('every listed language has a locale file with exactly the keys of en.json', () => {
		const english = new Set(keys(en));
		for (const lang of LANGS) {
			const other = new Set(keys(APP_TEXTS[lang]));
			expect([...english].filter((k) => !other.has(k)), `keys missing in ${lang}.json`).toEqual([]);
			expect([...other].filter((k) => !english.has(k)), `keys only in ${lang}.json`).toEqual([]);
		}
	});

	test('every text is a non-empty string with the same placeholders in both languages', () => {
		for (const k of keys(en)) {
			const e = leaf(en, k);
			const n = leaf(nl, k);
			expect(typeof e === 'string' && e.trim() !== '', `en ${k}`).toBe(true);
			expect(typeof n === 'string' && n.trim() !== '', `nl ${k}`).toBe(true);
			expect(placeholders(n as string), `placeholders of ${k}`).toEqual(placeholders(e as string));
		}
	});

	// The error codes' texts are checked in src/lib/shared/errors.test.ts.
	test('the machine states each have a text', async () => {
		const { MACHINE_STATES } = await import('$lib/shared/plant-view');
		for (const s of MACHINE_STATES) expect(leaf(en, `state.${s}`), s).toBeTypeOf('string');
	});
});

const plant = miniPlant;

describe('plant namespace', () => {
	test('is built from the PlantView texts', () => {
		expect(plantResources(plant, 'nl')).toEqual({
			title: 'Verpakkingshal',
			line: { line1: 'Lijn 1' },
			machine: { line1: { filler: 'Vuller' } },
			tag: { filler: { product_temperature: 'Producttemperatuur' } },
			reason: { '0': 'Geen reden', '201': 'Flessenopstopping' },
			shift: { early: 'Vroeg' }
		});
	});
});

describe('Locale', () => {
	test('translates app and plant texts in its own language and switches at once', () => {
		const l = new Locale('en');
		l.setPlant(plant);
		expect(l.t('nav.operator')).toBe('Operator');
		expect(l.t('state.fault')).toBe('Fault');
		expect(l.t(plantKey.line('line1'))).toBe('Line 1');
		expect(l.t(plantKey.tag('filler', 'product_temperature'))).toBe('Product temperature');
		expect(l.t(plantKey.reason(201))).toBe('Bottle jam');
		expect(l.quantity(12.5, 1, '°C')).toBe(`12.5${UNIT_SPACE}°C`);

		l.lang = 'nl';
		expect(l.t('state.fault')).toBe('Storing');
		expect(l.t(plantKey.machine('line1', 'filler'))).toBe('Vuller');
		expect(l.t(plantKey.reason(201))).toBe('Flessenopstopping');
		expect(l.quantity(12.5, 1, '°C')).toBe(`12,5${UNIT_SPACE}°C`);
		expect(l.count(12345)).toBe('12.345');
		expect(l.intl).toBe('nl-NL');
	});

	test('two Locales do not share a language (one per request)', () => {
		const a = new Locale('en');
		const b = new Locale('nl');
		expect(a.t('auth.logout')).toBe('Log out');
		expect(b.t('auth.logout')).toBe('Uitloggen');
		b.lang = 'en';
		a.lang = 'nl';
		expect(a.t('auth.logout')).toBe('Uitloggen');
		expect(b.t('auth.logout')).toBe('Log out');
	});

	test('interpolation is not HTML-escaped (Svelte escapes)', () => {
		const l = new Locale('en');
		expect(l.t('conn.sourceDown', { line: 'A&B <1>', state: 'x' })).toBe('A&B <1> (x)');
	});

	test('a missing key shows as the key; has() tells', () => {
		const l = new Locale('nl');
		expect(l.t('nope.missing')).toBe('nope.missing');
		expect(l.has('nope.missing')).toBe(false);
		expect(l.has('nav.operator')).toBe(true);
		expect(l.has(plantKey.reason(201))).toBe(false);
		l.setPlant(plant);
		expect(l.has(plantKey.reason(201))).toBe(true);
	});

	test('toLang narrows unknown input to English', () => {
		expect(toLang('nl')).toBe('nl');
		expect(toLang('de')).toBe('en');
		expect(toLang(undefined)).toBe('en');
	});
});
