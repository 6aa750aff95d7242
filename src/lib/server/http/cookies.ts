import type { Cookies } from '@sveltejs/kit';

/** The session cookie: HttpOnly (no script can read it), SameSite=Strict, Secure over HTTPS. */
export function sessionCookieOptions(url: URL, expiresAt: number): Parameters<Cookies['set']>[2] {
	return { path: '/', httpOnly: true, sameSite: 'strict', secure: url.protocol === 'https:', expires: new Date(expiresAt) };
}
