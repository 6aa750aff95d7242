/**
 * The chart's axes: one value axis per unit (pens with the same unit share it), and time labels in the
 * user's language through `Intl` (`24 nov` in Dutch, `24 Nov` in English, 24-hour clock).
 */
import type { Lang } from '$lib/shared/languages';
import { INTL_LOCALE } from '$lib/format';

export interface AxisGroup {
	/** uPlot scale key, `y:<unit>`. */
	scale: string;
	/** Unit shown as the axis label; empty for unitless values (counts). */
	unit: string;
	/** Indexes of the pens on this axis, in pen order. */
	pens: number[];
	/** The normal range, drawn as a band, only when the axis has a single pen that has one. */
	band?: [number, number];
}

/** Pens grouped by unit, in the order the units first appear. */
export function groupByUnit(pens: readonly { unit?: string; range?: [number, number] }[]): AxisGroup[] {
	const groups: AxisGroup[] = [];
	pens.forEach((pen, i) => {
		const unit = pen.unit ?? '';
		let g = groups.find((x) => x.unit === unit);
		if (!g) groups.push((g = { scale: `y:${unit}`, unit, pens: [] }));
		g.pens.push(i);
	});
	for (const g of groups) {
		const only = g.pens.length === 1 ? pens[g.pens[0]] : undefined;
		if (only?.range) g.band = [only.range[0], only.range[1]];
	}
	return groups;
}

/** Decimals that tell axis ticks `step` apart: 0 for steps ≥ 1, 1 for 0.5, 2 for 0.05… (at most 6). */
export function decimalsForStep(step: number): number {
	if (!Number.isFinite(step) || step <= 0) return 0;
	return Math.min(6, Math.max(0, Math.ceil(-Math.log10(step) - 1e-9)));
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const formats = new Map<string, Intl.DateTimeFormat>();
function fmt(lang: Lang, kind: 'sec' | 'min' | 'day' | 'dayTime' | 'full'): Intl.DateTimeFormat {
	const key = `${lang}|${kind}`;
	let f = formats.get(key);
	if (!f) {
		const opts: Intl.DateTimeFormatOptions =
			kind === 'sec'
				? { hour: '2-digit', minute: '2-digit', second: '2-digit' }
				: kind === 'min'
					? { hour: '2-digit', minute: '2-digit' }
					: kind === 'day'
						? { day: 'numeric', month: 'short' }
						: kind === 'dayTime'
							? { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }
							: { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' };
		f = new Intl.DateTimeFormat(INTL_LOCALE[lang], { ...opts, hourCycle: 'h23' });
		formats.set(key, f);
	}
	return f;
}

/** Month abbreviations may carry a full stop in some locales (`nov.`); the axis is tighter without. */
const day = (lang: Lang, ms: number) => fmt(lang, 'day').format(ms).replace('.', '');

/**
 * Labels for time axis ticks. Steps under a minute show seconds; under a day hours and minutes, with the
 * date on a second line at the first tick and wherever the day changes; a day or more just the date.
 * @param ticks epoch ms
 * @param stepMs distance between ticks
 */
export function formatTimeTicks(ticks: readonly number[], stepMs: number, lang: Lang): string[] {
	if (stepMs >= DAY_MS) return ticks.map((t) => day(lang, t));
	const clock = fmt(lang, stepMs < MINUTE_MS ? 'sec' : 'min');
	let prevDay = '';
	return ticks.map((t) => {
		const d = day(lang, t);
		const text = clock.format(t);
		const withDay = d !== prevDay;
		prevDay = d;
		return withDay ? `${text}\n${d}` : text;
	});
}

/** A moment for the cursor readout and the period line: `24 nov 14:03:05` / `24 Nov 14:03:05`. */
export function formatMoment(ms: number, lang: Lang, seconds = true): string {
	if (!Number.isFinite(ms)) return '';
	return `${day(lang, ms)} ${fmt(lang, seconds ? 'sec' : 'min').format(ms)}`;
}

/** A period `24 nov 13:03 – 14:03`, the date repeated only when it changes. */
export function formatPeriod(from: number, to: number, lang: Lang): string {
	const a = formatMoment(from, lang, false);
	const sameDay = day(lang, from) === day(lang, to) && Math.abs(to - from) < DAY_MS;
	return `${a} – ${sameDay ? fmt(lang, 'min').format(to) : formatMoment(to, lang, false)}`;
}
