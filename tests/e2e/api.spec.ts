import { expect, test, type APIRequestContext } from '@playwright/test';

// The HTTP surface of the production server (server.js + build) with the simulator behind it.

async function login(request: APIRequestContext, baseURL: string, username = 'operator') {
	const response = await request.post('/login', {
		form: { username, password: username },
		// A plain browser form post (not use:enhance) is answered with a redirect.
		headers: { origin: new URL(baseURL).origin, accept: 'text/html' },
		maxRedirects: 0
	});
	expect(response.status()).toBe(303);
	return response;
}

test('GET /healthz reports each source without a session', async ({ request }) => {
	const response = await request.get('/healthz');
	expect(response.status()).toBe(200);
	const body = await response.json();
	expect(Object.keys(body.sources).sort()).toEqual(['mqtt', 'opcua-line1']);
	expect(['ok', 'degraded']).toContain(body.status);
	expect(JSON.stringify(body)).not.toContain('value');
});

test('the session cookie is HttpOnly and SameSite=Strict, and no token is in the redirect URL', async ({ request, baseURL }) => {
	const response = await login(request, baseURL!);
	const setCookie = response.headers()['set-cookie'];
	expect(setCookie).toMatch(/hmi_session=/);
	expect(setCookie).toMatch(/HttpOnly/i);
	expect(setCookie).toMatch(/SameSite=Strict/i);
	expect(response.headers()['location']).toBe('/operator');
});

test('a cross-site login form post is refused (CSRF)', async ({ request }) => {
	const response = await request.post('/login', {
		form: { username: 'operator', password: 'operator' },
		headers: { origin: 'https://evil.example', accept: 'text/html' },
		maxRedirects: 0
	});
	expect(response.status()).toBe(403);
	expect(response.headers()['set-cookie']).toBeUndefined();
});

test('GET /api/tags needs a session, checks the pattern, and returns current values of both lines', async ({ playwright, baseURL }) => {
	const anonymous = await playwright.request.newContext({ baseURL });
	expect((await anonymous.get('/api/tags?pattern=acme/%23')).status()).toBe(401);
	await anonymous.dispose();

	const request = await playwright.request.newContext({ baseURL });
	await login(request, baseURL!);
	const bad = await request.get('/api/tags?pattern=acme/%23/x');
	expect(bad.status()).toBe(400);
	expect((await bad.json()).code).toBe('HMI_ERR_BAD_PATTERN');

	await expect
		.poll(async () => {
			const tags: { path: string }[] = await (await request.get('/api/tags?pattern=acme/utrecht/packaging/%2B/filler/state')).json();
			return tags.map((t) => t.path).sort();
		}, { timeout: 30_000 })
		.toEqual(['acme/utrecht/packaging/line1/filler/state', 'acme/utrecht/packaging/line2/filler/state']);
	const [temperature] = await (await request.get('/api/tags?pattern=acme/utrecht/packaging/line2/filler/product_temperature')).json();
	expect(temperature).toMatchObject({ quality: 0, origin: 'mqtt' });
	expect(typeof temperature.value).toBe('number');
	await request.dispose();
});

test('GET /api/stream sends a snapshot and then deltas as server-sent events', async ({ request, baseURL }) => {
	const response = await login(request, baseURL!);
	const cookie = response.headers()['set-cookie'].split(';')[0];
	const controller = new AbortController();
	const stream = await fetch(new URL('/api/stream?pattern=acme/utrecht/packaging/line2/%23', baseURL), {
		headers: { cookie },
		signal: controller.signal
	});
	expect(stream.headers.get('content-type')).toContain('text/event-stream');
	const reader = stream.body!.getReader();
	const decoder = new TextDecoder();
	let text = '';
	const deadline = Date.now() + 20_000;
	while (!(text.includes('"type":"snapshot"') && text.includes('"type":"delta"')) && Date.now() < deadline) {
		const { value, done } = await reader.read();
		if (done) break;
		text += decoder.decode(value);
	}
	controller.abort();
	const events = text.split('\n\n').filter((e) => e.startsWith('data: ')).map((e) => JSON.parse(e.slice(6)));
	expect(events[0]).toMatchObject({ type: 'snapshot', id: 1 });
	expect(events.some((e) => e.type === 'delta')).toBe(true);
});

test('pages carry a strict CSP and the other security headers', async ({ request }) => {
	const response = await request.get('/login');
	const headers = response.headers();
	expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
	expect(headers['content-security-policy']).toContain("script-src 'self'");
	expect(headers['x-content-type-options']).toBe('nosniff');
	expect(headers['referrer-policy']).toBe('same-origin');
	expect(headers['x-frame-options']).toBe('DENY');
});

test('GET /api/history validates its query and returns recorded samples', async ({ playwright, baseURL }) => {
	const request = await playwright.request.newContext({ baseURL });
	await login(request, baseURL!);
	const path = 'acme/utrecht/packaging/line2/filler/product_temperature';
	const now = Date.now();
	const q = (params: string) => request.get(`/api/history?${params}`);
	expect((await q(`path=${path}&from=${now}&to=${now - 1000}`)).status()).toBe(400);
	expect((await q(`path=${path}&from=0&to=${now}`)).status()).toBe(400); // more than 400 days
	expect((await q(`path=${path}&from=${now - 60_000}&to=${now}&points=2`)).status()).toBe(400);
	const unknown = await q(`path=acme/nowhere/x&from=${now - 60_000}&to=${now}`);
	expect(unknown.status()).toBe(400);
	expect((await unknown.json()).code).toBe('HMI_ERR_UNKNOWN_TAG');
	await expect
		.poll(async () => (await (await q(`path=${path}&from=${now - 3_600_000}&to=${Date.now() + 1000}`)).json()).count, { timeout: 20_000 })
		.toBeGreaterThan(0);
	const body = await (await q(`path=${path}&from=${now - 3_600_000}&to=${Date.now() + 1000}&points=100`)).json();
	expect(body).toMatchObject({ path, raw: expect.any(Boolean) });
	expect(body.ts.length).toBe(body.v.length);
	expect(body.ts.length).toBeLessThanOrEqual(100);
	await request.dispose();
});
