import { expect, test, type Page } from '@playwright/test';
import { login } from './helpers';

// The installable app: a valid manifest whose icons exist at their declared sizes, a service worker that
// registers and activates, and an offline start that says "offline" at once and never shows live data
// (API answers, pages) from a cache.

interface ManifestIcon {
	src: string;
	sizes: string;
	type?: string;
	purpose?: string;
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(body: Buffer): { width: number; height: number } {
	expect(body.subarray(1, 4).toString('ascii')).toBe('PNG');
	expect(body.subarray(12, 16).toString('ascii')).toBe('IHDR');
	return { width: body.readUInt32BE(16), height: body.readUInt32BE(20) };
}

/** Every cached request path, in any cache of this origin. */
const cachedPaths = (page: Page) =>
	page.evaluate(async () => {
		const out: string[] = [];
		for (const name of await caches.keys()) {
			const cache = await caches.open(name);
			for (const req of await cache.keys()) out.push(new URL(req.url).pathname);
		}
		return out;
	});

test('the manifest is valid and its icons are real PNGs of the declared sizes', async ({ page, request }) => {
	await page.goto('/login');
	const href = await page.locator('link[rel="manifest"]').getAttribute('href');
	expect(href).toBeTruthy();
	const res = await request.get(new URL(href!, page.url()).pathname);
	expect(res.ok()).toBe(true);
	const manifest = await res.json();
	expect(manifest).toMatchObject({ start_url: '/operator', display: 'standalone' });
	for (const field of ['name', 'short_name', 'theme_color', 'background_color']) expect(typeof manifest[field], field).toBe('string');
	const icons = manifest.icons as ManifestIcon[];
	const sizes = new Set(icons.map((i) => i.sizes));
	expect(sizes.has('192x192') && sizes.has('512x512')).toBe(true);
	expect(icons.some((i) => i.purpose?.split(' ').includes('maskable'))).toBe(true);
	for (const icon of icons) {
		const img = await request.get(icon.src);
		expect(img.ok(), icon.src).toBe(true);
		expect(img.headers()['content-type']).toContain('image/png');
		const [w, h] = icon.sizes.split('x').map(Number);
		expect(pngSize(await img.body()), icon.src).toEqual({ width: w, height: h });
	}
	await expect(page.locator('meta[name="theme-color"]').first()).toHaveAttribute('content', /^#[0-9a-f]{6}$/i);
});

test('the service worker activates, the app starts offline showing that it is offline, and no live data comes from a cache', async ({ page, context }) => {
	const fromWorker: string[] = [];
	page.on('response', (r) => {
		const path = new URL(r.url()).pathname;
		if (r.fromServiceWorker() && (path.startsWith('/api/') || path.endsWith('__data.json'))) fromWorker.push(path);
	});

	await login(page, 'operator');
	// `ready` resolves once a worker is active, which may still be "activating" (old caches being removed).
	await expect.poll(() => page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state)).toBe('activated');
	// The worker claims the open tab on activation; a reload is controlled from the start.
	await page.reload();
	await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
	await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'online');
	// Data requests while online go past the worker.
	const tags = await page.evaluate(async () => (await fetch('/api/tags?pattern=acme/%23')).status);
	expect(tags).toBe(200);
	// Client-side navigation loads page data (__data.json) past the worker too.
	await page.getByRole('navigation').locator('a[href="/alarms"]').click();
	await expect(page).toHaveURL(/\/alarms$/);

	const cached = await cachedPaths(page);
	console.log(`[measure] app shell precache: ${cached.length} files`);
	expect(cached).toContain('/manifest.webmanifest');
	expect(cached.some((p) => p.startsWith('/_app/immutable/'))).toBe(true);
	const live = cached.filter((p) => /^\/(api|ws|healthz|login|logout|operator|kpi|alarms|trends)(\/|$)/.test(p) || p.endsWith('__data.json') || p === '/');
	expect(live).toEqual([]);

	await context.setOffline(true);
	const offline = await page.reload();
	expect(offline?.status()).toBe(503);
	await expect(page.getByTestId('offline')).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('data-offline', 'true');
	await expect(page.locator('section[lang="en"]')).toContainText('no network connection');
	await expect(page.locator('section[lang="nl"]')).toContainText('geen netwerkverbinding');

	// A new navigation (as when the installed app starts at its start URL) gets the same answer.
	const start = await page.goto('/operator');
	expect(start?.status()).toBe(503);
	await expect(page).toHaveURL(/\/operator$/);
	await expect(page.getByTestId('offline')).toBeVisible();
	// While still offline the page stays put (it must not reload itself in a loop).
	let reloads = 0;
	const count = (frame: import('@playwright/test').Frame) => frame === page.mainFrame() && reloads++;
	page.on('framenavigated', count);
	await page.waitForTimeout(6_000);
	page.off('framenavigated', count);
	expect(reloads).toBe(0);
	// Live data is not answered from a cache: the request fails.
	const apiOffline = await page.evaluate(async () => {
		try {
			return String((await fetch('/api/tags?pattern=acme/%23')).status);
		} catch {
			return 'network error';
		}
	});
	expect(apiOffline).toBe('network error');
	expect(fromWorker).toEqual([]);

	// Back online: the offline page brings the screen back by itself.
	await context.setOffline(false);
	await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'online', { timeout: 20_000 });
	await expect(page).toHaveURL(/\/operator$/);
});
