/**
 * Number and date formatting for the screens, through `Intl` with the locale of each language.
 * Formatters are costly to build and screens format hundreds of values a second, so they are cached.
 */
import { LANGUAGES, type Lang } from '$lib/shared/languages';

/** The `Intl` locale used for each UI language (Dutch as in the Netherlands, English as in Britain: 24 h, d/m/y). */
export const INTL_LOCALE = Object.fromEntries(LANGUAGES.map((l) => [l.code, l.intl])) as Record<Lang, string>;

/**
 * Between a number and its unit: a no-break space, so `12,5 °C` never wraps between value and unit.
 * Exported so tests and callers can compare without guessing.
 */
export const UNIT_SPACE = '\u00a0';

/** Shown where a value is missing or not a number. */
export const NO_VALUE = '—';

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function numberFormat(lang: Lang, decimals: number | undefined): Intl.NumberFormat {
	const key = `${lang}|${decimals ?? ''}`;
	let f = numberFormats.get(key);
	if (!f) {
		f = new Intl.NumberFormat(
			INTL_LOCALE[lang],
			decimals === undefined
				? { maximumFractionDigits: 3 }
				: { minimumFractionDigits: decimals, maximumFractionDigits: decimals }
		);
		numberFormats.set(key, f);
	}
	return f;
}

/**
 * A number in the language's notation, with thousands separators.
 * @param decimals fixed number of decimals; without it up to 3 are shown
 */
export function formatNumber(value: number | null | undefined, lang: Lang, decimals?: number): string {
	if (typeof value !== 'number' || !Number.isFinite(value)) return NO_VALUE;
	// Avoid "-0,0" for tiny negative noise around zero.
	const shown = decimals !== undefined && Math.abs(value) < 0.5 * 10 ** -decimals ? 0 : value;
	return numberFormat(lang, decimals).format(shown);
}

/** A whole count (pieces), with thousands separators: `12.345` (nl) / `12,345` (en). */
export function formatCount(value: number | null | undefined, lang: Lang): string {
	return formatNumber(typeof value === 'number' ? Math.round(value) : value, lang, 0);
}

/** A measured value with its unit: `12,5 °C` (nl) / `12.5 °C` (en). Without a unit just the number. */
export function formatQuantity(
	value: number | null | undefined,
	lang: Lang,
	decimals?: number,
	unit?: string
): string {
	const n = formatNumber(value, lang, decimals);
	return unit && n !== NO_VALUE ? `${n}${UNIT_SPACE}${unit}` : n;
}

export type DateStyle = 'time' | 'datetime' | 'date';

function dateFormat(lang: Lang, style: DateStyle): Intl.DateTimeFormat {
	const key = `${lang}|${style}`;
	let f = dateFormats.get(key);
	if (!f) {
		const opts: Intl.DateTimeFormatOptions =
			style === 'time'
				? { timeStyle: 'medium' }
				: style === 'date'
					? { dateStyle: 'medium' }
					: { dateStyle: 'short', timeStyle: 'medium' };
		f = new Intl.DateTimeFormat(INTL_LOCALE[lang], { ...opts, hourCycle: 'h23' });
		dateFormats.set(key, f);
	}
	return f;
}

/**
 * A point in time in local time of the browser (or server when rendering).
 * @param epochMs milliseconds since 1970-01-01 UTC
 */
export function formatDate(epochMs: number | null | undefined, lang: Lang, style: DateStyle = 'datetime'): string {
	if (typeof epochMs !== 'number' || !Number.isFinite(epochMs)) return NO_VALUE;
	return dateFormat(lang, style).format(epochMs);
}
