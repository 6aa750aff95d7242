import { error } from '@sveltejs/kit';
import { LANGS, type Lang } from '$lib/shared/languages';
import { getRuntime } from '$lib/server/runtime';
import { LANG_COOKIE } from '$lib/server/http/language';
import type { RequestHandler } from './$types';

/** Remembers the chosen language: for the user when signed in, and in a cookie for the login page. */
export const POST: RequestHandler = async ({ request, locals, cookies, url }) => {
	const body = await request.json().catch(() => null);
	const lang = (body as { lang?: unknown } | null)?.lang;
	if (!LANGS.includes(lang as Lang)) error(400, { message: `lang must be one of ${LANGS.join(', ')}`, code: 'HMI_ERR_BAD_REQUEST' });
	if (locals.user) (await getRuntime()).auth.setLanguage(locals.user.id, lang as Lang);
	cookies.set(LANG_COOKIE, lang as Lang, { path: '/', httpOnly: true, sameSite: 'strict', secure: url.protocol === 'https:', maxAge: 365 * 24 * 3600 });
	return new Response(null, { status: 204 });
};
