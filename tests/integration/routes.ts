/**
 * Calls SvelteKit `+server.ts` handlers in-process against a real runtime: the same code as over HTTP
 * minus the hooks, which only fill `locals.user` from the session cookie (done here with the real auth).
 */
import { isHttpError } from '@sveltejs/kit';
import type { Runtime } from '../../src/lib/server/runtime';
import type { SessionUser } from '../../src/lib/server/auth/auth-service';

const RUNTIME_KEY = Symbol.for('acme-hmi.runtime');

/** Makes `services()` in route modules answer with this runtime's services. */
export function useRuntime(runtime: Runtime | undefined): void {
	const registry = globalThis as unknown as Record<symbol, unknown>;
	if (runtime) registry[RUNTIME_KEY] = Promise.resolve(runtime);
	else delete registry[RUNTIME_KEY];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Handler = (event: any) => Promise<Response> | Response;

export interface RouteCall {
	status: number;
	body: unknown;
}

/** Runs a handler as a JSON POST (or GET without body) and returns status and parsed body, errors included. */
export async function call(
	handler: Handler,
	opts: { user: SessionUser | null; params?: Record<string, string>; body?: unknown; path?: string; method?: 'GET' | 'POST' }
): Promise<RouteCall> {
	const url = new URL(opts.path ?? '/', 'http://hmi.test');
	const method = opts.method ?? 'POST';
	const request = new Request(url, {
		method,
		...(method === 'POST' && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(opts.body ?? {}) })
	});
	try {
		const response = await handler({ locals: { user: opts.user }, params: opts.params ?? {}, request, url });
		const text = await response.text();
		return { status: response.status, body: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
	} catch (err) {
		if (isHttpError(err)) return { status: err.status, body: err.body };
		throw err;
	}
}

/** A user with this role, signed in: what `hooks.server.ts` would put in `locals.user`. */
export async function signedIn(runtime: Runtime, username: string, role: SessionUser['role'], password = `${username}-password-1`): Promise<SessionUser> {
	await runtime.auth.createUser(username, password, role);
	const login = await runtime.auth.login(username, password, 'test');
	if (!login.ok) throw new Error(`login of ${username} failed`);
	return login.user;
}
