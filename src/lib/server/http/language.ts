import { isLang, LANGS, toLang, type Lang } from '$lib/shared/languages';

/** Cookie that remembers the language before login. */
export const LANG_COOKIE = 'hmi_lang';

/**
 * The language for a visitor without a session: their earlier choice, else the browser's first language
 * (`nl-BE` → `nl`) when we speak it, else English.
 * @param languages the supported languages (tests pass a longer list)
 */
export function pickLanguage(cookie: string | undefined, acceptLanguage: string | null, languages: readonly string[] = LANGS): Lang {
	if (isLang(cookie, languages)) return cookie;
	const first = acceptLanguage?.split(',')[0]?.trim().toLowerCase().split(/[-;]/)[0] ?? '';
	return toLang(first, languages);
}
