import { fail, redirect } from '@sveltejs/kit';
import { SESSION_COOKIE } from '$lib/shared/protocol';
import { startPage } from '$lib/shared/permissions';
import { services } from '$lib/server/services';
import { sessionCookieOptions } from '$lib/server/http/cookies';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	if (locals.user) redirect(303, startPage(locals.user.role));
	return { demoUsers: (await services()).demoUsers };
};

export const actions: Actions = {
	default: async ({ request, cookies, getClientAddress, url }) => {
		const form = await request.formData();
		const username = String(form.get('username') ?? '').trim().slice(0, 100);
		const password = String(form.get('password') ?? '');
		if (!username || !password) return fail(400, { username, error: 'auth.missing' });
		const result = await (await services()).sessions.login(username, password, getClientAddress());
		if (!result.ok) return fail(result.error === 'auth.invalid' ? 400 : 429, { username, error: result.error });
		cookies.set(SESSION_COOKIE, result.token, sessionCookieOptions(url, result.user.expiresAt));
		redirect(303, startPage(result.user.role));
	}
};
