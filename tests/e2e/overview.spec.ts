import { expect, test, type Page } from '@playwright/test';
import { LINE2, login, switchLanguage, waitForLive } from './helpers';
import { FaultInjector, waitUntilInactive } from './faults';

test.afterEach(async ({ page }) => {
	// The language is stored per user: leave the shared demo users in English for the other journeys.
	await page.request.post('/api/me/lang', { data: { lang: 'en' } }).catch(() => {});
});

// The plant overview (ISA-101 level 1) on the tablet sizes and a wallboard, in both languages: it fits
// one screen with every line, a fault on line 2 is in view without scrolling, and it reads at arm's length.

const SIZES = [
	{ width: 1024, height: 768 },
	{ width: 768, height: 1024 },
	{ width: 1920, height: 1080 }
];
const BOTTLE_JAM = 201;
const CAPPER2 = `${LINE2}/capper`;

/** Whether the element lies entirely inside the viewport (nothing to scroll to see it). */
async function inViewport(page: Page, testId: string): Promise<boolean> {
	const box = await page.getByTestId(testId).boundingBox();
	const vp = page.viewportSize()!;
	return !!box && box.y >= 0 && box.x >= 0 && box.y + box.height <= vp.height && box.x + box.width <= vp.width;
}

const pageScroll = (page: Page) =>
	page.evaluate(() => ({ scroll: document.scrollingElement!.scrollHeight, inner: window.innerHeight }));

test('the overview fits one screen at tablet and wallboard sizes in both languages, with a line 2 fault in view', async ({ page }, testInfo) => {
	test.setTimeout(240_000);
	const faults = await FaultInjector.connect();
	try {
		await login(page, 'operator');
		await waitForLive(page);
		await waitUntilInactive(page.request, `${CAPPER2}/_alarms/fault`);
		await faults.inject(CAPPER2, BOTTLE_JAM);
		const capper = page.getByTestId(`machine-${CAPPER2}`);
		await expect(capper).toHaveAttribute('data-state', 'fault');
		await expect(page.getByTestId('line-alarm-line2')).not.toHaveAttribute('data-priority', /^$/);

		for (const lang of ['en', 'nl'] as const) {
			await switchLanguage(page, lang);
			// Close the user menu again: the screenshot shows the screen as an operator sees it.
			await page.keyboard.press('Escape');
			for (const size of SIZES) {
				await test.step(`${lang} ${size.width}×${size.height}`, async () => {
					await page.setViewportSize(size);
					await expect(page.getByTestId('line-line1')).toBeVisible();
					const { scroll, inner } = await pageScroll(page);
					expect(scroll, 'no vertical scroll').toBeLessThanOrEqual(inner);
					expect(await inViewport(page, 'line-line1')).toBe(true);
					expect(await inViewport(page, 'line-line2')).toBe(true);
					expect(await inViewport(page, `machine-${CAPPER2}`), 'the faulted capper is in view').toBe(true);
					const shot = testInfo.outputPath(`overview-${lang}-${size.width}x${size.height}.png`);
					await page.screenshot({ path: shot });
					await testInfo.attach(`overview-${lang}-${size.width}x${size.height}.png`, { path: shot, contentType: 'image/png' });
				});
			}
		}
	} finally {
		await faults.clear(CAPPER2).catch(() => {});
		await faults.close();
	}
});

test('readable at 1 m on a tablet: values ≥ 32 px, labels ≥ 16 px, header and banner ≤ 92 px', async ({ page }) => {
	await login(page, 'operator');
	await waitForLive(page);
	for (const lang of ['en', 'nl'] as const) {
		await switchLanguage(page, lang);
		await page.keyboard.press('Escape');
		const sizes = await page.evaluate(() => {
			const px = (sel: string) =>
				[...document.querySelectorAll<HTMLElement>(sel)].map((el) => parseFloat(getComputedStyle(el).fontSize));
			return {
				values: px('[data-testid^="machine-"] [data-testid^="value-"]'),
				labels: [...px('[data-testid^="machine-"] .label'), ...px('[data-testid^="line-summary-"] dt')],
				top: document.querySelector('.top')!.getBoundingClientRect().height
			};
		});
		expect(sizes.values.length).toBeGreaterThanOrEqual(12);
		expect(Math.min(...sizes.values)).toBeGreaterThanOrEqual(32);
		expect(sizes.labels.length).toBeGreaterThanOrEqual(12);
		expect(Math.min(...sizes.labels)).toBeGreaterThanOrEqual(16);
		expect(sizes.top).toBeLessThanOrEqual(92);
	}
});

test('the overview is read only: no setpoint controls, and a tile opens its machine screen', async ({ page }) => {
	await login(page, 'operator');
	await waitForLive(page);
	await expect(page.locator('[data-testid^="setpoint-"]')).toHaveCount(0);
	await expect(page.getByTestId('line-oee-line1')).toHaveText(/\d/);
	await page.getByTestId(`machine-${LINE2}/labeler`).click({ position: { x: 20, y: 100 } });
	await expect(page).toHaveURL(/\/operator\/line2\/labeler$/);
});

test('the user menu: opens from the user name, Escape closes it and gives focus back', async ({ page }) => {
	await login(page, 'operator');
	const toggle = page.getByTestId('user-menu');
	await expect(toggle).toContainText('operator');
	await expect(page.getByTestId('logout')).toBeHidden();
	await toggle.click();
	await expect(toggle).toHaveAttribute('aria-expanded', 'true');
	await expect(page.getByTestId('logout')).toBeVisible();
	await expect(page.getByTestId('lang-nl')).toBeVisible();
	await expect(page.getByTestId('theme-dark')).toBeVisible();
	await page.keyboard.press('Escape');
	await expect(page.getByTestId('logout')).toBeHidden();
	await expect(toggle).toBeFocused();
});
