import { describe, expect, test } from 'vitest';
import { Locale } from '$lib/i18n.svelte';
import { UNIT_SPACE } from '$lib/format';
import { miniPlant } from '$lib/testing/mini-plant';
import { parseLocaleNumber } from '$lib/number-input';
import { parseProblemText, setpointChangeText, setpointPlaceText } from './setpoint-text';

function locale(lang: 'en' | 'nl'): Locale {
	const l = new Locale(lang);
	l.setPlant(miniPlant);
	return l;
}

const place = (label: string) => ({ lineId: 'line1', machineId: 'filler', label });

describe('setpointChangeText', () => {
	test.each([
		['en', 'Speed target', 420, 400, 0, 'bpm', `Line 1 · Filler — Speed target: 420 → 400${UNIT_SPACE}bpm`],
		['nl', 'Snelheid doel', 420, 400, 0, 'bpm', `Lijn 1 · Vuller — Snelheid doel: 420 → 400${UNIT_SPACE}bpm`],
		['nl', 'Temperatuur', 6.5, 7.5, 1, '°C', `Lijn 1 · Vuller — Temperatuur: 6,5 → 7,5${UNIT_SPACE}°C`],
		['en', 'Temperature', 6.5, 7.5, 1, '°C', `Line 1 · Filler — Temperature: 6.5 → 7.5${UNIT_SPACE}°C`],
		['en', 'Count', 3, 4, undefined, undefined, 'Line 1 · Filler — Count: 3 → 4']
	] as const)('%s: names line, machine and setpoint, old → new with the unit (%s)', (lang, label, from, to, decimals, unit, text) => {
		expect(setpointChangeText(locale(lang), place(label), { decimals, unit }, from, to)).toBe(text);
	});

	test('an old value that is not known is a dash', () => {
		expect(setpointChangeText(locale('en'), place('Speed target'), { decimals: 0, unit: 'bpm' }, null, 400)).toBe(
			`Line 1 · Filler — Speed target: — → 400${UNIT_SPACE}bpm`
		);
	});

	test('the place alone, for headings', () => {
		expect(setpointPlaceText(locale('nl'), place('Snelheid doel'))).toBe('Lijn 1 · Vuller — Snelheid doel');
	});
});

describe('parseProblemText', () => {
	test('a readable number has no problem', () => {
		expect(parseProblemText(locale('nl'), parseLocaleNumber('7,5', 'nl'))).toBeNull();
	});
	test.each([
		['nl', '1.234', 'Bedoelt u 1,234 of 1234? Typ een van beide zoals hier geschreven.'],
		['en', '1,234', 'Is this 1.234 or 1234? Type one of the two as written here.'],
		['nl', 'abc', 'Vul een getal in, bijvoorbeeld 7,5.'],
		['en', 'abc', 'Enter a number, for example 7.5.'],
		['nl', '1.234,5', 'Typ het getal zonder punten of spaties voor de duizendtallen.'],
		['en', '', 'Enter a value.']
	] as const)('%s %j: %s', (lang, text, message) => {
		expect(parseProblemText(locale(lang), parseLocaleNumber(text, lang))).toBe(message);
	});
});
