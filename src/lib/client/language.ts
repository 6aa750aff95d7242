import type { Lang } from '$lib/shared/languages';

/** Where the chosen language is stored: for the user when signed in, otherwise in a cookie. */
export const LANG_ENDPOINT = '/api/me/lang';

/**
 * Stores the language choice on the server. Resolves to false when it could not be stored
 * (the caller still switches the screen: reading it now matters more than remembering it).
 */
export async function saveLanguage(lang: Lang, fetchFn: typeof fetch = fetch): Promise<boolean> {
	try {
		const res = await fetchFn(LANG_ENDPOINT, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ lang })
		});
		return res.ok;
	} catch {
		return false;
	}
}
