import type { IncomingHttpHeaders } from 'node:http';
import { SESSION_COOKIE, type ErrorCode } from '$lib/shared/protocol';
import type { SessionUser } from '../auth/auth-service';
import { checkHost, isAllowedOrigin, type RequestTrust } from '../auth/request-trust';

export type UpgradeDecision = { ok: true; user: SessionUser } | { ok: false; status: 401 | 403 | 421; message: string; code: ErrorCode };

/**
 * Decides on a WebSocket upgrade before any socket exists. The Host is checked first: a name that is not
 * ours means DNS rebinding (421). Then the Origin: a page on a foreign site can make the browser send our
 * cookie (cross-site WebSocket hijacking), so a foreign Origin is refused (403) whatever the cookie says.
 * Then the session cookie must be valid (401).
 */
export async function decideUpgrade(
	headers: IncomingHttpHeaders,
	trust: RequestTrust,
	verify: (token: string | undefined) => Promise<SessionUser | null>
): Promise<UpgradeDecision> {
	const hostRefusal = checkHost(headerValue(headers[trust.hostHeader.toLowerCase()]), trust);
	if (hostRefusal) return { ok: false, ...hostRefusal, status: 421 };
	if (!isAllowedOrigin(headers.origin, trust.allowedOrigins)) return { ok: false, status: 403, message: 'origin not allowed', code: 'HMI_ERR_ORIGIN_NOT_ALLOWED' };
	const user = await verify(readCookie(headers.cookie, SESSION_COOKIE));
	if (!user) return { ok: false, status: 401, message: 'no valid session', code: 'HMI_ERR_UNAUTHORIZED' };
	return { ok: true, user };
}

function headerValue(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

/** The value of one cookie from a Cookie header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
	if (!header) return undefined;
	for (const part of header.split(';')) {
		const eq = part.indexOf('=');
		if (eq > 0 && part.slice(0, eq).trim() === name) {
			const value = part.slice(eq + 1).trim();
			try {
				return decodeURIComponent(value);
			} catch {
				return undefined;
			}
		}
	}
	return undefined;
}
