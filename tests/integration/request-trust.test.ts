// Requests the server must not answer: DNS rebinding (a page on http://evil.example:3300 whose name points
// at the HMI signed in and wrote a setpoint — only the Host header tells), and a page on another port of the
// same host that logged operators out (a POST without a content type skips SvelteKit's CSRF check). Through
// the real hooks and the real route handlers, and a real socket for /ws.
import { isHttpError, isRedirect } from '@sveltejs/kit';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { handle } from '../../src/hooks.server';
import { POST as logout } from '../../src/routes/logout/+server';
import { POST as setpointWrite } from '../../src/routes/api/setpoints/+server';
import { GET as stream } from '../../src/routes/api/stream/+server';
import { GET as healthz } from '../../src/routes/healthz/+server';
import { actions as loginActions } from '../../src/routes/login/+page.server';
import { SESSION_COOKIE } from '../../src/lib/shared/protocol';
import { startHmi, TEST_ORIGIN, type TestHmi } from './harness';
import { useRuntime, type Handler } from './routes';

/** A second allowed origin (ALLOWED_ORIGINS), besides TEST_ORIGIN: the same HMI under another name. */
const SECOND_ORIGIN = 'http://hmi-b.test:3000';

let hmi: TestHmi;
let token: string;
beforeAll(async () => {
	hmi = await startHmi({ ALLOWED_ORIGINS: `${TEST_ORIGIN},${SECOND_ORIGIN}` });
	useRuntime(hmi.runtime);
	await hmi.runtime.auth.createUser('olga', 'olga-password-1', 'operator');
	const login = await hmi.runtime.auth.login('olga', 'olga-password-1', 'test');
	if (!login.ok) throw new Error('login failed');
	token = login.token;
});
afterAll(async () => {
	useRuntime(undefined);
	await hmi?.stop();
});

const ROUTES: Record<string, Handler> = {
	'POST /logout': logout,
	'POST /api/setpoints': setpointWrite,
	'GET /api/stream': stream,
	'GET /healthz': healthz,
	'POST /login': (event) => loginActions.default(event) as never
};

interface Sent {
	status: number;
	body: unknown;
	/** Whether a route handler ran at all. */
	reached: boolean;
}

/**
 * One request through `handle` to the route, as adapter-node would make it without ORIGIN: the URL's origin
 * is the Host the client named.
 */
async function send(opts: { method?: string; path: string; host: string | null; subRequest?: boolean; origin?: string; cookie?: boolean; json?: unknown; form?: Record<string, string>; lang?: string; accept?: string }): Promise<Sent> {
	const method = opts.method ?? 'GET';
	const url = new URL(opts.path, `http://${opts.host ?? 'hmi.test'}`);
	const headers = new Headers({ accept: opts.accept ?? 'application/json' });
	if (opts.host) headers.set('host', opts.host);
	if (opts.origin) headers.set('origin', opts.origin);
	if (opts.lang) headers.set('accept-language', opts.lang);
	if (opts.cookie) headers.set('cookie', `${SESSION_COOKIE}=${token}`);
	let body: BodyInit | undefined;
	if (opts.json !== undefined) {
		headers.set('content-type', 'application/json');
		body = JSON.stringify(opts.json);
	} else if (opts.form) body = new URLSearchParams(opts.form);
	const request = new Request(url, { method, headers, body });
	const jar = new Map<string, string>(opts.cookie ? [[SESSION_COOKIE, token]] : []);
	const cookies = { get: (n: string) => jar.get(n), set: (n: string, v: string) => jar.set(n, v), delete: (n: string) => jar.delete(n), getAll: () => [] };
	let reached = false;
	const event = { request, url, cookies, locals: {}, params: {}, getClientAddress: () => '192.0.2.7', route: { id: opts.path }, isSubRequest: opts.subRequest ?? false };
	const resolve = async (ev: typeof event) => {
		reached = true;
		const route = ROUTES[`${method} ${url.pathname}`];
		try {
			const result = await route(ev);
			return result instanceof Response ? result : Response.json(result ?? null);
		} catch (err) {
			if (isRedirect(err)) return new Response(null, { status: err.status, headers: { location: err.location } });
			if (isHttpError(err)) return Response.json(err.body, { status: err.status });
			throw err;
		}
	};
	const response = await handle({ event, resolve } as never);
	// An open event stream never ends: take its status and close it.
	const isStream = response.headers.get('content-type')?.startsWith('text/event-stream');
	const text = isStream ? '' : await response.text();
	if (isStream) await response.body?.cancel();
	let parsed: unknown = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		/* text */
	}
	return { status: response.status, body: parsed, reached };
}

const EVIL = 'evil.example:3300';

describe('DNS rebinding: a request sent to a host name that is not ours', () => {
	test('a setpoint write with a valid session and a matching Origin is refused with 421 before any route runs', async () => {
		const auditBefore = hmi.runtime.audit.query({ limit: 100 }).length;
		const sent = await send({
			method: 'POST',
			path: '/api/setpoints',
			host: EVIL,
			origin: `http://${EVIL}`,
			cookie: true,
			json: { path: 'acme/utrecht/packaging/line2/filler/product_temperature_setpoint', value: 70 }
		});
		expect(sent).toMatchObject({ status: 421, reached: false, body: { code: 'HMI_ERR_HOST_NOT_ALLOWED' } });
		expect(hmi.runtime.audit.query({ limit: 100 })).toHaveLength(auditBefore);
	});

	test('signing in is refused the same way: no password is checked', async () => {
		const sent = await send({ method: 'POST', path: '/login', host: EVIL, origin: `http://${EVIL}`, form: { username: 'olga', password: 'olga-password-1' } });
		expect(sent).toMatchObject({ status: 421, reached: false });
	});

	test('pages get the reason as text in the visitor\'s language; SSE is refused too', async () => {
		const page = await send({ path: '/operator', host: EVIL, accept: 'text/html', lang: 'nl-NL,nl;q=0.9' });
		expect(page.status).toBe(421);
		expect(page.body).toBe('Deze HMI is niet bereikbaar onder dit adres. Gebruik het adres dat u van uw beheerder hebt gekregen. (HMI_ERR_HOST_NOT_ALLOWED)\n');
		expect(await send({ path: '/api/stream?pattern=acme/%23', host: EVIL, cookie: true })).toMatchObject({ status: 421, reached: false });
	});

	test('the same requests to our names go through to the routes', async () => {
		for (const host of ['hmi.test', '127.0.0.1:3000', 'HMI.TEST:8443']) {
			const sent = await send({ method: 'POST', path: '/api/setpoints', host, origin: TEST_ORIGIN, cookie: true, json: { path: 'nope', value: 1 } });
			expect(sent, host).toMatchObject({ reached: true, status: 404, body: { code: 'HMI_ERR_SETPOINT_UNKNOWN' } });
		}
		expect(await send({ path: '/api/stream?pattern=acme/%23', host: 'hmi.test', cookie: true })).toMatchObject({ status: 200, reached: true });
	});

	test('a request without a Host is refused, unless it is a server render\'s own fetch (its request was checked)', async () => {
		expect(await send({ path: '/api/stream?pattern=acme/%23', host: null, cookie: true })).toMatchObject({ status: 421, reached: false });
		expect(await send({ path: '/api/stream?pattern=acme/%23', host: null, cookie: true, subRequest: true })).toMatchObject({ status: 200, reached: true });
	});

	test('the public health check answers whatever the Host (load balancers probe by address)', async () => {
		expect(await send({ path: '/healthz', host: '10.1.2.3:3000' })).toMatchObject({ status: 200, reached: true });
	});

	test('the /ws upgrade is refused with 421 and its code, with a valid cookie and a matching Origin', async () => {
		const ws = new WebSocket(hmi.wsUrl, { origin: `http://${EVIL}`, headers: { host: EVIL, cookie: `${SESSION_COOKIE}=${token}` } });
		const refused = await new Promise<{ status: number; body: string }>((resolve, reject) => {
			ws.once('open', () => reject(new Error('opened')));
			ws.once('unexpected-response', (_req, res) => {
				let body = '';
				res.on('data', (d) => (body += d));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
			});
			ws.once('error', reject);
		});
		expect(refused.status).toBe(421);
		expect(JSON.parse(refused.body)).toMatchObject({ code: 'HMI_ERR_HOST_NOT_ALLOWED' });
	});
});

describe('form posts: the hooks are the only Origin check (SvelteKit\'s own is off)', () => {
	const form = { username: 'olga', password: 'olga-password-1' };

	test('the login form from a page that is not ours is refused with 403 before any password is checked', async () => {
		for (const origin of ['http://evil.example', 'http://hmi.test:8080', 'null']) {
			expect(await send({ method: 'POST', path: '/login', host: 'hmi.test', origin, form }), origin).toMatchObject({
				status: 403,
				reached: false,
				body: { code: 'HMI_ERR_ORIGIN_NOT_ALLOWED' }
			});
		}
	});

	test('the login form from the second allowed origin signs in, as from the first', async () => {
		for (const origin of [SECOND_ORIGIN, TEST_ORIGIN]) {
			expect(await send({ method: 'POST', path: '/login', host: new URL(origin).host, origin, form }), origin).toMatchObject({ status: 303, reached: true });
		}
	});

	test('a form post without an Origin is refused (as SvelteKit did); a JSON post without one goes to the route', async () => {
		expect(await send({ method: 'POST', path: '/login', host: 'hmi.test', form })).toMatchObject({ status: 403, reached: false });
		const program = await send({ method: 'POST', path: '/api/setpoints', host: 'hmi.test', cookie: true, json: { path: 'nope', value: 1 } });
		expect(program).toMatchObject({ reached: true, status: 404 });
	});
});

describe('logout from a page that is not ours', () => {
	test('a POST without a content type from another port of the same host is refused with 403 and the session lives on', async () => {
		const sent = await send({ method: 'POST', path: '/logout', host: 'hmi.test', origin: 'http://hmi.test:8080', cookie: true });
		expect(sent).toMatchObject({ status: 403, reached: false, body: { code: 'HMI_ERR_ORIGIN_NOT_ALLOWED' } });
		expect(await hmi.runtime.auth.verify(token)).not.toBeNull();
	});

	test.each([['null'], ['https://hmi.test'], ['http://evil.example']])('Origin %s is refused too', async (origin) => {
		expect(await send({ method: 'POST', path: '/logout', host: 'hmi.test', origin, cookie: true })).toMatchObject({ status: 403, reached: false });
	});

	test('from our own page it logs out (303 to /login) and the session ends', async () => {
		await hmi.runtime.auth.createUser('piet', 'piet-password-1', 'operator');
		const login = await hmi.runtime.auth.login('piet', 'piet-password-1', 'test');
		if (!login.ok) throw new Error('login failed');
		const own = token;
		token = login.token;
		try {
			const sent = await send({ method: 'POST', path: '/logout', host: 'hmi.test', origin: TEST_ORIGIN, cookie: true });
			expect(sent).toMatchObject({ status: 303, reached: true });
			expect(await hmi.runtime.auth.verify(login.token)).toBeNull();
		} finally {
			token = own;
		}
	});
});
