/**
 * Which requests the server answers at all, by the name they were sent to (Host) and the page they came
 * from (Origin). Pure: the hooks (pages, REST, SSE) and the /ws upgrade both ask these functions.
 *
 * Host: a page on `http://evil.example:3300` whose DNS name the attacker points at our address (DNS
 * rebinding) is, for the browser, its own origin: cookies, CSRF and Origin checks all pass, and only the
 * Host header still says `evil.example`. So a request whose Host is not one of our names is refused. The
 * port is not compared: a rebinding attack changes the name, never our port, and proxies that map ports
 * keep working.
 *
 * Origin: a state-changing request (POST, PUT, PATCH, DELETE) from a browser always carries an Origin; one
 * from a page that is not ours is refused, whatever its content type (SvelteKit checked only form posts, so a
 * `fetch` POST without a body from a page on another port of the same host got through). This is the only
 * Origin check for HTTP: SvelteKit's own (`csrf`, off in svelte.config.js) ran before the hooks and trusted
 * ORIGIN alone, so a second allowed origin could not post a form. A form post (the content types a page can
 * send cross-site without asking) without an Origin is refused too, as SvelteKit did: old browsers sent
 * none; a program that posts without one sends JSON.
 */
import { errorStatus, type ErrorCode } from '$lib/shared/errors';

/** What the server trusts. `Config` has these fields. */
export interface RequestTrust {
	/** Origins (`scheme://host[:port]`) of our own pages: ORIGIN, ALLOWED_ORIGINS or their defaults. */
	readonly allowedOrigins: readonly string[];
	/** Host names (lower case, no port) requests may be sent to: those of `allowedOrigins` and ALLOWED_HOSTS. */
	readonly allowedHosts: readonly string[];
	/** The request header naming the host the client used: `host`, or adapter-node's HOST_HEADER behind a proxy. */
	readonly hostHeader: string;
}

export interface RequestRefusal {
	/** The code's own status (src/lib/shared/errors.ts): 421 or 403. */
	status: number;
	code: Extract<ErrorCode, 'HMI_ERR_HOST_NOT_ALLOWED' | 'HMI_ERR_ORIGIN_NOT_ALLOWED'>;
	message: string;
}

/** A DNS name (underscores allowed, as container names have them), an IPv4 address, or an IPv6 one in brackets. */
const HOST_NAME = /^(\[[0-9a-f:.]+\]|[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*)$/;

/** Methods that change something: these must come from one of our pages when they come from a browser. */
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Content types an HTML form (or any page, without a CORS preflight) can send to another site. */
const FORM_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/** True for a body a plain HTML form could have sent. */
export function isFormContentType(contentType: string | null): boolean {
	const type = contentType?.split(';')[0].trim().toLowerCase() ?? '';
	return FORM_CONTENT_TYPES.includes(type);
}

/**
 * The host name of a Host header value (or of a URL host): lower case, without port or a trailing dot,
 * IPv6 literals in brackets. Null when there is nothing usable.
 */
export function hostNameOf(value: string | null | undefined): string | null {
	// A forwarded host may list several (one per proxy): the first is what the client asked for.
	const host = value?.split(',')[0].trim().toLowerCase();
	if (!host) return null;
	let name: string;
	if (host.startsWith('[')) {
		const end = host.indexOf(']');
		if (end < 0) return null;
		name = host.slice(0, end + 1);
	} else {
		const colon = host.indexOf(':');
		name = colon < 0 ? host : host.slice(0, colon);
	}
	if (name.endsWith('.')) name = name.slice(0, -1);
	return name || null;
}

/**
 * The allowed host names: the host of every allowed origin, and each extra name (ALLOWED_HOSTS).
 * @throws Error naming the first origin or extra entry that is not one
 */
export function allowedHostsOf(origins: Iterable<string>, extra: Iterable<string>): string[] {
	const names = new Set<string>();
	for (const origin of origins) {
		let host: string;
		try {
			host = new URL(origin).host;
		} catch {
			throw new Error(`"${origin}" is not an origin (scheme://host[:port])`);
		}
		const name = hostNameOf(host);
		if (name) names.add(name);
	}
	for (const entry of extra) {
		let name = entry.trim().toLowerCase().replace(/\.$/, '');
		if (!name) continue;
		// A bare IPv6 address is written without brackets in a list; the Host header has them.
		if (!name.startsWith('[') && name.split(':').length > 2) name = `[${name}]`;
		if (!HOST_NAME.test(name)) throw new Error(`"${entry.trim()}" is not a host name (give names or addresses, without scheme or port)`);
		names.add(name);
	}
	return [...names];
}

/** True when `hostValue` (a Host header) names one of our hosts. */
export function isAllowedHost(hostValue: string | null | undefined, allowedHosts: readonly string[]): boolean {
	const name = hostNameOf(hostValue);
	return name !== null && allowedHosts.includes(name);
}

/**
 * True when `origin` is one of our pages: an allowed origin, or (for the HTTP routes) the origin the request
 * itself was made to, as SvelteKit's own CSRF check has it.
 */
export function isAllowedOrigin(origin: string | null | undefined, allowedOrigins: readonly string[], ownOrigin?: string): boolean {
	if (!origin || origin === 'null') return false;
	return allowedOrigins.includes(origin) || origin === ownOrigin;
}

/** The refusal for a request sent to a name that is not ours (421), or null. */
export function checkHost(hostValue: string | null | undefined, trust: RequestTrust): RequestRefusal | null {
	if (isAllowedHost(hostValue, trust.allowedHosts)) return null;
	const shown = JSON.stringify((hostValue ?? '').slice(0, 100));
	return {
		status: errorStatus('HMI_ERR_HOST_NOT_ALLOWED'),
		code: 'HMI_ERR_HOST_NOT_ALLOWED',
		message: `this server does not answer for host ${shown}; add the name to ORIGIN, ALLOWED_ORIGINS or ALLOWED_HOSTS if it is one of ours`
	};
}

/**
 * Checks an HTTP request before anything else runs: the Host must be ours (421), and a state-changing
 * request that carries an Origin must come from one of our pages (403). A form post without an Origin is
 * refused too (403); any other request without one is not a browser's cross-site request (browsers send an
 * Origin with every POST, and anything but a form body needs a CORS preflight) and is left to the route.
 */
export function checkRequest(
	request: { method: string; headers: { get(name: string): string | null } },
	ownOrigin: string,
	trust: RequestTrust
): RequestRefusal | null {
	const hostRefusal = checkHost(request.headers.get(trust.hostHeader), trust);
	if (hostRefusal) return hostRefusal;
	if (!UNSAFE_METHODS.has(request.method.toUpperCase())) return null;
	const origin = request.headers.get('origin');
	if (origin === null) {
		if (!isFormContentType(request.headers.get('content-type'))) return null;
		return { status: errorStatus('HMI_ERR_ORIGIN_NOT_ALLOWED'), code: 'HMI_ERR_ORIGIN_NOT_ALLOWED', message: 'a form post without an Origin header is not accepted' };
	}
	if (isAllowedOrigin(origin, trust.allowedOrigins, ownOrigin)) return null;
	return { status: errorStatus('HMI_ERR_ORIGIN_NOT_ALLOWED'), code: 'HMI_ERR_ORIGIN_NOT_ALLOWED', message: `requests from ${JSON.stringify(origin.slice(0, 100))} are not accepted` };
}
