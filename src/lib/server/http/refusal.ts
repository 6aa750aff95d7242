/**
 * The answer to a request refused before any route runs (a host name that is not ours, a page that is not
 * ours): the stable code and, for a person, the translated text in the visitor's language.
 */
import { APP_TEXTS } from '$lib/locales';
import type { Lang } from '$lib/shared/languages';
import { errorStatus } from '$lib/shared/errors';
import { httpErrorResponse } from './http-error';
import type { Logger } from '../log';
import type { RequestRefusal } from '../auth/request-trust';

/** Paths answered whatever the Host: load balancers probe by address; the public health report shows nothing private. */
export const HOST_CHECK_EXEMPT_PATHS: readonly string[] = ['/healthz'];

/** A browser gets one line of text in its language; a program gets `{message, code}` as JSON. */
export function refusalResponse(refusal: RequestRefusal, lang: Lang, accept: string | null): Response {
	if (accept?.includes('text/html')) {
		return new Response(`${(APP_TEXTS[lang].errors as Record<string, string>)[refusal.code]} (${refusal.code})\n`, {
			status: errorStatus(refusal.code),
			headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }
		});
	}
	return httpErrorResponse(refusal.code, refusal.message, { 'cache-control': 'no-store' });
}

/** Most distinct host names and origins whose refusal is logged (the first of each): a probe cannot flood the log. */
const MAX_LOGGED = 100;
const logged = new Set<string>();

/** Logs the first refusal of each host name or origin, with how to allow it if it is ours. */
export function logRefusal(log: Logger, refusal: RequestRefusal, host: string | null, origin: string | null): void {
	const key = `${refusal.code}|${refusal.code === 'HMI_ERR_HOST_NOT_ALLOWED' ? host : origin}`;
	if (logged.has(key) || logged.size >= MAX_LOGGED) return;
	logged.add(key);
	log.warn({ code: refusal.code, host, origin }, `request refused: ${refusal.message} (logged once per name)`);
}
