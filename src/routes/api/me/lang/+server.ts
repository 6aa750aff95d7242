import { LANGS, type Lang } from '$lib/shared/languages';
import { services } from '$lib/server/services';
import { LANG_COOKIE } from '$lib/server/http/language';
import type { RequestHandler } from './$types';
import { httpError } from '$lib/server/http/http-error';

/** Remembers the chosen language: for the user when signed in, and in a cookie for the login page. */
export const POST: RequestHandler = async ({ request, locals, cookies, url }) => {
	const body = await request.json().catch(() => null);
	const lang = (body as { lang?: unknown } | null)?.lang;
	if (!LANGS.includes(lang as Lang)) httpError('HMI_ERR_BAD_REQUEST', `lang must be one of ${LANGS.join(', ')}`);
	if (locals.user) (await services()).sessions.setLanguage(locals.user.id, lang as Lang);
	cookies.set(LANG_COOKIE, lang as Lang, { path: '/', httpOnly: true, sameSite: 'strict', secure: url.protocol === 'https:', maxAge: 365 * 24 * 3600 });
	return new Response(null, { status: 204 });
};
