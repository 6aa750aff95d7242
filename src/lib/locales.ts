/**
 * The product's own texts, one locale file per language (`locales/<code>.json`), for every language in
 * `$lib/shared/languages`. Files are found by name, so a new language needs no import here.
 */
import type en from '$locales/en.json';
import { LANGS, type Lang, type LocalText } from '$lib/shared/languages';

/** The shape of a locale file: English's, which every other file matches key for key (locales.test.ts). */
export type AppTexts = typeof en;

const FILES = import.meta.glob<AppTexts>('/locales/*.json', { eager: true, import: 'default' });

/**
 * The locale files of the given languages, by code. Throws for a listed language without a file: a language
 * the switch offers but cannot show is a build error, not a screen of keys.
 */
export function loadLocales<L extends string>(languages: readonly L[]): Record<L, AppTexts> {
	const out = {} as Record<L, AppTexts>;
	for (const lang of languages) {
		const file = FILES[`/locales/${lang}.json`];
		if (!file) throw new Error(`no locale file locales/${lang}.json for language "${lang}"`);
		out[lang] = file;
	}
	return out;
}

/** The product's own texts in every supported language. */
export const APP_TEXTS: Record<Lang, AppTexts> = loadLocales(LANGS);

/** A text built from the locale files in every supported language (a system alarm's message, say). */
export function localized(build: (texts: AppTexts, lang: Lang) => string): LocalText {
	return Object.fromEntries(LANGS.map((lang) => [lang, build(APP_TEXTS[lang], lang)])) as LocalText;
}
