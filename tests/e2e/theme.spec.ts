import { expect, test } from '@playwright/test';
import { login, openUserMenu } from './helpers';

// The night-shift theme: chosen with the switch, remembered per device in a cookie, and rendered by the
// server into <html data-theme> so a reload never flashes the light theme. Without a choice the device's
// colour preference decides.

/** The page background as the browser paints it. */
const background = (page: import('@playwright/test').Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const LIGHT_BG = 'rgb(211, 212, 213)';
const DARK_BG = 'rgb(29, 32, 36)';

test('switching to dark survives a reload, rendered dark by the server (no flash)', async ({ page, context }) => {
	await login(page, 'operator');
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'system');
	expect(await background(page)).toBe(LIGHT_BG);

	await openUserMenu(page);
	const toggle = page.getByTestId('theme-dark');
	await expect(toggle).toHaveAttribute('aria-pressed', 'false');
	await toggle.click();
	await expect(toggle).toHaveAttribute('aria-pressed', 'true');
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
	expect(await background(page)).toBe(DARK_BG);

	const cookie = (await context.cookies()).find((c) => c.name === 'hmi_theme');
	expect(cookie?.value).toBe('dark');
	expect(cookie?.sameSite).toBe('Lax');
	expect(cookie?.httpOnly).toBe(false);
	const days = ((cookie?.expires ?? 0) * 1000 - Date.now()) / 86_400_000;
	expect(days).toBeGreaterThan(364);
	expect(days).toBeLessThan(366);

	// The HTML as it leaves the server already carries the theme: the first paint is dark.
	const response = await page.reload();
	expect(await response!.text()).toMatch(/<html lang="\w+" data-theme="dark">/);
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
	await expect(page.getByTestId('theme-dark')).toHaveAttribute('aria-pressed', 'true');
	expect(await background(page)).toBe(DARK_BG);

	// Other screens too, and back to light.
	await page.goto('/alarms');
	expect(await background(page)).toBe(DARK_BG);
	await openUserMenu(page);
	await page.getByTestId('theme-dark').click();
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
	expect(await background(page)).toBe(LIGHT_BG);
	const again = await page.request.get('/alarms');
	expect(await again.text()).toContain('data-theme="light"');
});

test('the sign-in page has the switch too, and an unknown cookie value falls back to the device preference', async ({ page, context, baseURL }) => {
	await context.addCookies([{ name: 'hmi_theme', value: '"><script>', url: baseURL!, sameSite: 'Lax' }]);
	const response = await page.goto('/login');
	expect(await response!.text()).toContain('data-theme="system"');
	await page.getByTestId('theme-dark').click();
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
	await page.reload();
	expect(await background(page)).toBe(DARK_BG);
});

test.describe('with a device that prefers dark', () => {
	test.use({ colorScheme: 'dark' });

	test('no choice yet: the screen follows the device, and the switch shows it pressed', async ({ page }) => {
		await page.goto('/login');
		await expect(page.locator('html')).toHaveAttribute('data-theme', 'system');
		expect(await background(page)).toBe(DARK_BG);
		await expect(page.getByTestId('theme-dark')).toHaveAttribute('aria-pressed', 'true');
		// Choosing day overrides the device.
		await page.getByTestId('theme-dark').click();
		await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
		await page.reload();
		expect(await background(page)).toBe(LIGHT_BG);
	});
});
