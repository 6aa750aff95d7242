/**
 * The words and numbers an alarm shows, in the user's language: its message, where it is, the value that
 * triggered it and the cause kept at activation (a fault's reason code, shown by its label).
 */
import type { LocalText } from '$lib/shared/languages';
import type { PlantView } from '$lib/shared/plant-view';
import { MACHINE_STATES } from '$lib/shared/plant-view';
import { SYSTEM_LINE } from '$lib/shared/alarms';
import { NO_VALUE } from '$lib/format';
import { plantKey, type Locale } from '$lib/i18n.svelte';
import { locate, type AlarmPlace } from './alarms';

type L = Pick<Locale, 't' | 'has' | 'lang' | 'number' | 'quantity'>;

/** The message in the user's language, English when the plant gave none in it. */
export function messageText(message: Partial<LocalText> | null | undefined, lang: Locale['lang']): string {
	return message?.[lang] || message?.en || NO_VALUE;
}

/** "Line 2 · Capper", or just the line for a line alarm; "HMI server" for a system alarm; ids when the plant does not know them. */
export function placeText(locale: L, place: AlarmPlace, fallback: { line?: string | null; machine?: string | null } = {}): string {
	if (!place.line && fallback.line === SYSTEM_LINE) return locale.t('alarms.system.place');
	const line = place.line ? locale.t(plantKey.line(place.line.id)) : fallback.line;
	const machine =
		place.line && place.machine ? locale.t(plantKey.machine(place.line.id, place.machine.id)) : fallback.machine;
	return [line, machine].filter(Boolean).join(' · ') || NO_VALUE;
}

/** Where a journal row's alarm is, from its id (as for live alarms) with the row's own fields as fallback. */
export function journalPlaceText(
	locale: L,
	plant: PlantView,
	e: { alarmId: string; line: string; machine: string | null }
): string {
	return placeText(locale, locate(plant, { id: e.alarmId, line: e.line, machine: e.machine ?? undefined }), e);
}

/**
 * A triggering value as the screen shows it: a number with the watched tag's unit and decimals, a machine
 * state or source state by its name, anything else as it came.
 */
export function valueText(locale: L, value: unknown, place?: AlarmPlace): string {
	if (value === null || value === undefined || value === '') return NO_VALUE;
	if (typeof value === 'number') {
		const tag = place?.tag;
		return tag ? locale.quantity(value, tag.decimals, tag.unit) : locale.number(value);
	}
	if (typeof value === 'string') {
		if ((MACHINE_STATES as readonly string[]).includes(value)) return locale.t(`state.${value}`);
		if (locale.has(`source.${value}`)) return locale.t(`source.${value}`);
		if (locale.has(`alarms.cause.${value}`)) return locale.t(`alarms.cause.${value}`);
		return value;
	}
	if (typeof value === 'boolean') return String(value);
	return JSON.stringify(value);
}

/**
 * The cause kept at activation: a reason code by its label from the plant, a system alarm's cause (`SQLITE_FULL`,
 * `missing`, `backward`) in words, or null when there is none.
 */
export function causeText(locale: L, detail: unknown): string | null {
	if (detail === null || detail === undefined || detail === '' || detail === 0) return null;
	if (typeof detail === 'number') {
		const key = plantKey.reason(detail);
		return locale.has(key) ? locale.t(key) : String(detail);
	}
	if (typeof detail === 'string') return locale.has(`alarms.cause.${detail}`) ? locale.t(`alarms.cause.${detail}`) : detail;
	return JSON.stringify(detail);
}
