import type { IncomingHttpHeaders } from 'node:http';
import { SESSION_COOKIE } from '$lib/shared/protocol';
import type { SessionUser } from '../auth/auth-service';

export type UpgradeDecision = { ok: true; user: SessionUser } | { ok: false; status: 401 | 403; message: string };

/**
 * Decides on a WebSocket upgrade before any socket exists. The Origin is checked first: a page on a
 * foreign site can make the browser send our cookie (cross-site WebSocket hijacking), so a foreign
 * Origin is refused (403) whatever the cookie says. Then the session cookie must be valid (401).
 */
export async function decideUpgrade(
	headers: IncomingHttpHeaders,
	allowedOrigins: readonly string[],
	verify: (token: string | undefined) => Promise<SessionUser | null>
): Promise<UpgradeDecision> {
	const origin = headers.origin;
	if (!origin || !allowedOrigins.includes(origin)) return { ok: false, status: 403, message: 'origin not allowed' };
	const user = await verify(readCookie(headers.cookie, SESSION_COOKIE));
	if (!user) return { ok: false, status: 401, message: 'no valid session' };
	return { ok: true, user };
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
