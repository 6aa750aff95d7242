import type { Handle, ServerInit } from '@sveltejs/kit';
import { SESSION_COOKIE } from '$lib/shared/protocol';
import { ensureRuntime } from '$lib/server/runtime';
import { services } from '$lib/server/services';
import { LANG_COOKIE, pickLanguage } from '$lib/server/http/language';
import { THEME_COOKIE, toThemeSetting } from '$lib/client/theme';
import { checkRequest } from '$lib/server/auth/request-trust';
import { HOST_CHECK_EXEMPT_PATHS, logRefusal, refusalResponse } from '$lib/server/http/refusal';
import { StorageUnavailableError } from '$lib/server/store/storage-errors';
import { httpErrorResponse } from '$lib/server/http/http-error';

/** Starts the runtime (broker, connectors, hub) before the first request. */
export const init: ServerInit = async () => {
	await ensureRuntime();
};

const SECURITY_HEADERS: Record<string, string> = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'same-origin',
	'x-frame-options': 'DENY',
	'permissions-policy': 'camera=(), microphone=(), geolocation=()',
	'cross-origin-opener-policy': 'same-origin'
};

/**
 * Refuses requests sent to a host name that is not ours (421: DNS rebinding) or, when they change something,
 * from a page that is not ours (403); then fills `locals.user` from the session cookie, renders
 * `<html lang>` and `<html data-theme>`, adds security headers. Nothing else happens here.
 */
export const handle: Handle = async ({ event, resolve }) => {
	const { requestTrust, sessions, log } = await services();
	const { request } = event;
	// A server render's own fetch (no Host header) belongs to a request that passed these checks already.
	const exempt =
		event.isSubRequest || (HOST_CHECK_EXEMPT_PATHS.includes(event.url.pathname) && (request.method === 'GET' || request.method === 'HEAD'));
	const refusal = exempt ? null : checkRequest(request, event.url.origin, requestTrust);
	if (refusal) {
		logRefusal(log, refusal, request.headers.get(requestTrust.hostHeader), request.headers.get('origin'));
		const visitorLang = pickLanguage(event.cookies.get(LANG_COOKIE), request.headers.get('accept-language'));
		return withSecurityHeaders(refusalResponse(refusal, visitorLang, request.headers.get('accept')));
	}
	try {
		event.locals.user = await sessions.verify(event.cookies.get(SESSION_COOKIE));
	} catch (err) {
		if (!(err instanceof StorageUnavailableError)) throw err;
		// The session cannot be checked (the database cannot be read): an API caller is told so (503, as any read
		// it asks for); a page renders for nobody signed in, which shows the sign-in page. Never a 500.
		if (event.url.pathname.startsWith('/api/')) return withSecurityHeaders(httpErrorResponse(err.code, err.message));
		event.locals.user = null;
	}
	const lang = event.locals.user?.lang ?? pickLanguage(event.cookies.get(LANG_COOKIE), event.request.headers.get('accept-language'));
	// The theme is in the first byte of HTML, so a night-shift screen never flashes light.
	const theme = toThemeSetting(event.cookies.get(THEME_COOKIE));
	const response = await resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%hmi.lang%', lang).replace('%hmi.theme%', theme)
	});
	return withSecurityHeaders(response);
};

function withSecurityHeaders(response: Response): Response {
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
		if (!response.headers.has(name)) response.headers.set(name, value);
	}
	return response;
}
