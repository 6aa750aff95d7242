/**
 * What the setpoint control says: the confirm line that names where the change goes (two machines on two
 * lines may have identically named setpoints), and what a typed value that cannot be read is told.
 */
import type { SetpointView } from '$lib/shared/plant-view';
import { plantKey } from '$lib/i18n.svelte';
import type { ParsedNumber } from '$lib/number-input';

/** The parts of a `Locale` these texts need. */
export interface SetpointTexts {
	t(key: string, options?: Record<string, unknown>): string;
	number(value: number | null | undefined, decimals?: number): string;
	quantity(value: number | null | undefined, decimals?: number, unit?: string): string;
}

/** Where a setpoint sits: its line and machine ids (for their translated names) and its own label. */
export interface SetpointPlace {
	lineId: string;
	machineId: string;
	/** The setpoint's label, already in the current language. */
	label: string;
}

/** `Line 2 · Filler — Speed target`: the setpoint with the line and machine it belongs to. */
export function setpointPlaceText(texts: SetpointTexts, place: SetpointPlace): string {
	return texts.t('setpoint.place', {
		line: texts.t(plantKey.line(place.lineId)),
		machine: texts.t(plantKey.machine(place.lineId, place.machineId)),
		label: place.label
	});
}

/**
 * The confirm line: `Line 2 · Filler — Speed target: 420 → 400 bpm`, the unit once after the new value.
 * @param from the value the machine reported when the user asked (null when unknown: shown as a dash)
 */
export function setpointChangeText(
	texts: SetpointTexts,
	place: SetpointPlace,
	setpoint: Pick<SetpointView, 'decimals' | 'unit'>,
	from: number | null,
	to: number
): string {
	return texts.t('setpoint.confirmChange', {
		place: setpointPlaceText(texts, place),
		from: texts.number(from, setpoint.decimals),
		to: texts.quantity(to, setpoint.decimals, setpoint.unit)
	});
}

/** Why a typed text is not a value (null when it is one): translated, naming both readings of an ambiguous one. */
export function parseProblemText(texts: SetpointTexts, parsed: ParsedNumber): string | null {
	if (parsed.ok) return null;
	if (parsed.problem === 'ambiguous') {
		const [asDecimal, asWhole] = parsed.readings;
		// Both readings written so each can only mean one thing: `1,234` or `1234` in Dutch (readings have 3 decimals).
		return texts.t('setpoint.parse.ambiguous', {
			decimal: texts.number(asDecimal, 3),
			whole: String(asWhole)
		});
	}
	return texts.t(`setpoint.parse.${parsed.problem}`);
}
