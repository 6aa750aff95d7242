import type { Lang } from '$lib/shared/plant-view';

/** Cookie that remembers the language before login. */
export const LANG_COOKIE = 'hmi_lang';

/** The language for a visitor without a session: their earlier choice, else the browser's, else English. */
export function pickLanguage(cookie: string | undefined, acceptLanguage: string | null): Lang {
	if (cookie === 'nl' || cookie === 'en') return cookie;
	const first = acceptLanguage?.split(',')[0]?.trim().toLowerCase() ?? '';
	return first.startsWith('nl') ? 'nl' : 'en';
}
