/**
 * The product's own texts, one locale file per language (`locales/<code>.json`), for every language in
 * `$lib/shared/languages`. The files are imported by name below rather than found by a Vite glob: the
 * same modules run under plain Node (the simulator's and the benchmark's processes, the command-line
 * scripts), where there is no Vite to expand one. locales.test.ts fails when a file on disk is missing here.
 */
import en from '$locales/en.json';
import nl from '$locales/nl.json';
import { LANGS, type Lang, type LocalText } from '$lib/shared/languages';

/** The shape of a locale file: English's, which every other file matches key for key (locales.test.ts). */
export type AppTexts = typeof en;

/** Every locale file there is, by language code. */
export const LOCALE_FILES: Readonly<Record<string, AppTexts>> = { en, nl };

/**
 * The locale files of the given languages, by code. Throws for a listed language without a file: a language
 * the switch offers but cannot show is a build error, not a screen of keys.
 */
export function loadLocales<L extends string>(languages: readonly L[]): Record<L, AppTexts> {
	const out = {} as Record<L, AppTexts>;
	for (const lang of languages) {
		const file = LOCALE_FILES[lang];
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
