import { redirect } from '@sveltejs/kit';
import { SESSION_COOKIE } from '$lib/shared/protocol';
import { services } from '$lib/server/services';
import type { RequestHandler } from './$types';

/** Ends the session (its sockets close with 1008) and forgets the cookie. */
export const POST: RequestHandler = async ({ locals, cookies }) => {
	if (locals.user) (await services()).sessions.logout(locals.user.sid);
	cookies.delete(SESSION_COOKIE, { path: '/' });
	redirect(303, '/login');
};
