import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { freePort, startServerProcess, type ServerProcess } from './server-process';

// The production server (server.js on the build) answering for two origins: ORIGIN and a second one in
// ALLOWED_ORIGINS, as when tablets use the plant name and the control room an address. SvelteKit's own CSRF
// check ran before the hooks and trusted only ORIGIN, so the login form posted from the second origin was
// refused (403 "Cross-site POST form submissions are forbidden") although the README said it may POST. Now
// the hooks' Origin check (request-trust.ts) is the only one, for form posts too. A browser test because it
// needs the build (SvelteKit's check runs in the build only), which `npm run test:e2e` makes first.
let server: ServerProcess | undefined;
let port: number;
/** ORIGIN. */
let primary: string;
/** In ALLOWED_ORIGINS: the same server under another name. */
let second: string;

test.describe.configure({ mode: 'serial' });
test.use({ baseURL: undefined });

test.beforeAll(async () => {
	test.skip(!fs.existsSync('build/handler.js'), 'no local build (testing a stack elsewhere)');
	port = await freePort();
	primary = `http://127.0.0.1:${port}`;
	second = `http://localhost:${port}`;
	server = await startServerProcess('origins', { PORT: String(port), ORIGIN: primary, ALLOWED_ORIGINS: second });
});

test.afterAll(() => server?.stop());

test('the login form posted from the second allowed origin signs in', async ({ page }) => {
	await page.goto(`${second}/login`);
	await page.locator('input[name="username"]').fill('operator');
	await page.locator('input[name="password"]').fill('operator');
	const [response] = await Promise.all([
		page.waitForResponse((r) => r.url().startsWith(`${second}/login`) && r.request().method() === 'POST'),
		page.locator('form button[type="submit"]').click()
	]);
	console.log(`[measure] login form from ${second} (ORIGIN ${primary}): POST answered ${response.status()}`);
	expect(response.status()).not.toBe(403);
	await expect(page).toHaveURL(`${second}/operator`);
});

test('a form post from a page that is not ours is refused with 403 and its code, and sets no cookie', async ({ playwright }) => {
	const request = await playwright.request.newContext();
	try {
		for (const origin of ['http://evil.example', `http://127.0.0.1:${port + 1}`]) {
			const response = await request.post(`${second}/login`, {
				form: { username: 'operator', password: 'operator' },
				headers: { origin, accept: 'application/json' },
				maxRedirects: 0
			});
			expect(response.status(), origin).toBe(403);
			expect(await response.json()).toMatchObject({ code: 'HMI_ERR_ORIGIN_NOT_ALLOWED' });
			expect(response.headers()['set-cookie']).toBeUndefined();
		}
		// Without an Origin a form post is refused too (as SvelteKit did): browsers send one with every POST.
		const bare = await request.post(`${primary}/login`, { form: { username: 'operator', password: 'operator' }, maxRedirects: 0 });
		expect(bare.status()).toBe(403);
	} finally {
		await request.dispose();
	}
});
