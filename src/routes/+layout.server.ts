import type { LayoutServerLoad } from './$types';
import { pickLanguage, LANG_COOKIE } from '$lib/server/http/language';

/** Every page gets the language to render in and a whitelisted view of the user. */
export const load: LayoutServerLoad = ({ locals, cookies, request }) => ({
	lang: locals.user?.lang ?? pickLanguage(cookies.get(LANG_COOKIE), request.headers.get('accept-language')),
	user: locals.user ? { username: locals.user.username, role: locals.user.role } : null
});
