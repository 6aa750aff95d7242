/**
 * Numbers typed by people, in their language's notation: `7,5` in Dutch, `7.5` in English.
 *
 * The rule for a separator, in one sentence: a `.` or `,` is the decimal separator unless it could also be
 * read as a thousands separator in this language — then the text is refused, never guessed at. So in Dutch
 * `7,5` and `7.5` are both 7.5 (a point followed by one digit cannot be grouping, and a tablet whose keypad
 * follows an English system locale only offers the point), but `1.234` could mean 1.234 or 1234 and is
 * refused with both readings named; in English `1,234` is refused the same way. Text with more than one
 * separator, or with spaces inside, is refused too: a setpoint is never typed with thousands separators,
 * and a value sent to a machine must mean exactly one thing.
 */
import type { Lang } from '$lib/shared/languages';
import { INTL_LOCALE } from './format';

export type ParsedNumber =
	| { ok: true; value: number }
	/** `empty`: nothing typed · `nan`: not a number · `grouped`: thousands separators or spaces inside. */
	| { ok: false; problem: 'empty' | 'nan' | 'grouped' }
	/** `text` could be either number: the user must type it so it can only be one. */
	| { ok: false; problem: 'ambiguous'; readings: [number, number] };

interface Separators {
	decimal: string;
	group: string;
}

const separatorCache = new Map<Lang, Separators>();

/** The language's decimal and thousands separators, as `Intl` writes them. */
export function separatorsOf(lang: Lang): Separators {
	let s = separatorCache.get(lang);
	if (!s) {
		const parts = new Intl.NumberFormat(INTL_LOCALE[lang]).formatToParts(12345.6);
		s = {
			decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
			group: parts.find((p) => p.type === 'group')?.value ?? ','
		};
		separatorCache.set(lang, s);
	}
	return s;
}

/** Sign, digits, at most one `.` or `,`, digits; at least one digit. */
const PLAIN = /^([+-]?)(\d*)([.,]?)(\d*)$/;

/**
 * Reads what a person typed into a number field.
 * @returns the value, or why it cannot be read (see the module comment for the separator rule)
 */
export function parseLocaleNumber(text: string, lang: Lang): ParsedNumber {
	// U+2212 is the minus sign Intl writes in some locales; people may paste it back.
	const t = text.trim().replace(/\u2212/g, '-');
	if (t === '') return { ok: false, problem: 'empty' };
	const m = PLAIN.exec(t);
	if (!m) {
		const separators = t.match(/[.,\s\u00a0\u202f']/g) ?? [];
		const withoutThem = t.replace(/[.,\s\u00a0\u202f']/g, '');
		return separators.length > 0 && /^[+-]?\d+$/.test(withoutThem) ? { ok: false, problem: 'grouped' } : { ok: false, problem: 'nan' };
	}
	const [, sign, whole, sep, fraction] = m;
	if (whole === '' && fraction === '') return { ok: false, problem: 'nan' };
	const asDecimal = Number(`${sign}${whole || '0'}.${fraction || '0'}`);
	if (sep === '') return { ok: true, value: asDecimal };
	// Could this separator be a thousands separator here? Only the language's own group separator, between
	// 1–3 digits (not starting with 0) and exactly 3 (`1.234` in Dutch); `7.5`, `12.50`, `0.500` or `.5` cannot be grouping.
	const couldGroup = sep === separatorsOf(lang).group && /^[1-9]\d{0,2}$/.test(whole) && /^\d{3}$/.test(fraction);
	if (couldGroup) return { ok: false, problem: 'ambiguous', readings: [asDecimal, Number(`${sign}${whole}${fraction}`)] };
	return { ok: true, value: asDecimal };
}

const inputFormats = new Map<string, Intl.NumberFormat>();

/**
 * A value as it is put into a number field: the language's decimal separator, no thousands separators
 * (so that reading it back gives the same number, see `parseLocaleNumber`).
 * @param decimals fixed decimals; without it as many as the value has (up to 6)
 */
export function formatForInput(value: number | null | undefined, lang: Lang, decimals?: number): string {
	if (typeof value !== 'number' || !Number.isFinite(value)) return '';
	const key = `${lang}|${decimals ?? ''}`;
	let f = inputFormats.get(key);
	if (!f) {
		f = new Intl.NumberFormat(INTL_LOCALE[lang], {
			useGrouping: false,
			...(decimals === undefined ? { maximumFractionDigits: 6 } : { minimumFractionDigits: decimals, maximumFractionDigits: decimals })
		});
		inputFormats.set(key, f);
	}
	// Intl may write U+2212 for minus; a person types '-', and so does the parser's round trip.
	return f.format(value).replace(/\u2212/g, '-');
}
