import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';

// The production server (server.js on the build) answering for two origins: ORIGIN and a second one in
// ALLOWED_ORIGINS, as when tablets use the plant name and the control room an address. SvelteKit's own CSRF
// check ran before the hooks and trusted only ORIGIN, so the login form posted from the second origin was
// refused (403 "Cross-site POST form submissions are forbidden") although the README said it may POST. Now
// the hooks' Origin check (request-trust.ts) is the only one, for form posts too. A browser test because it
// needs the build (SvelteKit's check runs in the build only), which `npm run test:e2e` makes first.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hmi-origins-'));
let child: ChildProcess | undefined;
let port: number;
/** ORIGIN. */
let primary: string;
/** In ALLOWED_ORIGINS: the same server under another name. */
let second: string;

async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const p = (server.address() as net.AddressInfo).port;
	await new Promise((resolve) => server.close(resolve));
	return p;
}

test.describe.configure({ mode: 'serial' });
test.use({ baseURL: undefined });

test.beforeAll(async () => {
	test.skip(!fs.existsSync('build/handler.js'), 'no local build (testing a stack elsewhere)');
	port = await freePort();
	primary = `http://127.0.0.1:${port}`;
	second = `http://localhost:${port}`;
	child = spawn(process.execPath, ['server.js'], {
		env: {
			PATH: process.env.PATH,
			HOME: process.env.HOME,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: primary,
			ALLOWED_ORIGINS: second,
			DATA_DIR: path.join(dir, 'data'),
			DEMO: '1',
			LOG_LEVEL: 'warn',
			MQTT_PORT: String(await freePort()),
			OPCUA_ENDPOINT: 'opc.tcp://127.0.0.1:9/none'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout!.on('data', (d) => (output += d));
	child.stderr!.on('data', (d) => (output += d));
	await expect.poll(() => output.includes('HMI ready on') || child!.exitCode !== null, { timeout: 30_000 }).toBe(true);
	expect(output).toContain('HMI ready on');
});

test.afterAll(async () => {
	if (child && child.exitCode === null) {
		const exited = new Promise((r) => child!.once('exit', r));
		child.kill('SIGTERM');
		await exited;
	}
	fs.rmSync(dir, { recursive: true, force: true });
});

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
