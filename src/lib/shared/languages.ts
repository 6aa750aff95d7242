/**
 * The languages the HMI speaks, as data. Adding one (German, say) is a locale file `locales/de.json` with
 * the same keys as `locales/en.json`, and one line below: no migration, no schema change, no other code.
 * The database stores a language as its code and alarm texts as a map by code; the plant model's texts
 * are maps by code too, checked against this list.
 *
 * The order of the list is the order of the language switch.
 */
export const LANGUAGES = [
	/** `percentSpace`: Dutch writes a space before the percent sign (`85 %`), English does not (`85%`). */
	{ code: 'nl', intl: 'nl-NL', percentSpace: true },
	{ code: 'en', intl: 'en-GB', percentSpace: false }
] as const satisfies readonly LanguageSpec[];

/** What a language needs beyond its locale file: its `Intl` locale and the few formatting habits `Intl` does not know. */
export interface LanguageSpec {
	/** ISO 639-1 code, also the name of its locale file. */
	readonly code: string;
	/** The `Intl` locale for numbers and dates. */
	readonly intl: string;
	readonly percentSpace: boolean;
}

export type Lang = (typeof LANGUAGES)[number]['code'];
export const LANGS: readonly Lang[] = LANGUAGES.map((l) => l.code);

/** The language every text must have, and the one shown when a text lacks the reader's language. */
export const DEFAULT_LANG = 'en' satisfies Lang;

/**
 * A text in several languages, keyed by language code: English always, the others where given
 * (a missing one reads as English, see `localText`).
 */
export type LocalText = { readonly [DEFAULT_LANG]: string } & { readonly [L in Lang]?: string };

/** The text in `lang`, or in English when it has none in that language. */
export function localText(text: LocalText, lang: Lang): string {
	return text[lang] || text[DEFAULT_LANG];
}

/** True for a code in `languages` (by default the supported ones). */
export function isLang(value: unknown, languages: readonly string[] = LANGS): value is Lang {
	return typeof value === 'string' && languages.includes(value);
}

/** Narrows anything (cookie, header, stored value) to a supported language; English when it is none. */
export function toLang(value: unknown, languages: readonly string[] = LANGS): Lang {
	return isLang(value, languages) ? value : DEFAULT_LANG;
}

/** The specification of a supported language. */
export function languageSpec(lang: Lang): LanguageSpec {
	return LANGUAGES.find((l) => l.code === lang) ?? LANGUAGES.find((l) => l.code === DEFAULT_LANG)!;
}
