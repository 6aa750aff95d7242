import AxeBuilder from '@axe-core/playwright';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { expectFitsAndTouchable, FILLER1_TEMP, LINE1, LINE2, login } from './helpers';
import { FaultInjector, waitUntilInactive } from './faults';

// Every screen in both languages and both themes: no serious or critical axe-core violation (WCAG 2.1 A/AA),
// nothing wider than the screen and every control at least 44×44 px at tablet (both orientations), large
// tablet, phone and 1920×1080 wallboard sizes, with a screenshot of each kept as a test artifact.

/** The screens; a new screen is one line here. `session: false` screens are checked signed out. */
const SCREENS: { name: string; path: string; session?: boolean }[] = [
	{ name: 'login', path: '/login', session: false },
	{ name: 'operator', path: '/operator' },
	{ name: 'machine', path: '/operator/line1/filler' },
	{ name: 'kpi', path: '/kpi' },
	{ name: 'alarms', path: '/alarms' },
	{ name: 'journal', path: '/alarms/journal' },
	{ name: 'trends', path: '/trends' },
	{ name: 'trend-chart', path: `/trends?pen=${encodeURIComponent(FILLER1_TEMP)}&pen=${encodeURIComponent(`${LINE1}/filler/speed`)}&range=5m` },
	{ name: 'uns', path: '/uns' },
	{ name: 'users', path: '/admin/users' },
	{ name: 'audit', path: '/admin/audit' }
];
const LANGS = ['en', 'nl'] as const;
const THEMES = ['light', 'dark'] as const;
const VIEWPORTS = [
	{ name: 'tablet-landscape', width: 1024, height: 768 },
	{ name: 'tablet-portrait', width: 768, height: 1024 },
	{ name: 'large-tablet-landscape', width: 1366, height: 1024 },
	{ name: 'large-tablet-portrait', width: 1024, height: 1366 },
	{ name: 'phone', width: 390, height: 844 },
	{ name: 'wallboard', width: 1920, height: 1080 }
];
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** A fault reason of the simulator (bottle jam), injected over MQTT. */
const BOTTLE_JAM = 201;
/** The user the screens are checked as: an admin may see every screen. */
const USER = 'admin';

async function setTheme(context: BrowserContext, baseURL: string, theme: string): Promise<void> {
	await context.addCookies([{ name: 'hmi_theme', value: theme, url: baseURL, sameSite: 'Lax' }]);
}

/** The language for both a visitor (cookie) and the signed-in user (stored with the user). */
async function setLanguage(page: Page, baseURL: string, lang: string): Promise<void> {
	await page.context().addCookies([{ name: 'hmi_lang', value: lang, url: baseURL, sameSite: 'Lax' }]);
	const res = await page.request.post('/api/me/lang', { data: { lang } });
	expect(res.ok()).toBe(true);
}

/** Opens a screen and waits until it is settled: rendered in the language and theme asked for, data connected. */
async function open(page: Page, path: string, lang: string, theme: string, session: boolean): Promise<void> {
	await page.goto(path);
	await expect(page.locator('html')).toHaveAttribute('lang', lang);
	await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
	if (session) await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'online');
	// Let charts and lists that load after the first paint settle.
	await page.waitForLoadState('networkidle');
}

test.afterAll(async ({ browser, baseURL }) => {
	// The user's language is stored on the server: leave it English for the other journeys.
	const page = await browser.newPage({ baseURL });
	await login(page, USER);
	await page.request.post('/api/me/lang', { data: { lang: 'en' } });
	await page.close();
});

test('the check finds what it must find: a low-contrast text and a nameless button are reported', async ({ page }) => {
	await page.setContent(
		'<html lang="en"><head><title>t</title></head><body><main><p style="color:#999;background:#aaa">low contrast</p><button></button></main></body></html>'
	);
	const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
	const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
	expect(serious).toEqual(expect.arrayContaining(['color-contrast', 'button-name']));
});

for (const lang of LANGS) {
	for (const theme of THEMES) {
		test(`axe: no serious or critical violations on any screen (${lang}, ${theme})`, async ({ page, context, baseURL }) => {
			test.setTimeout(120_000);
			await setTheme(context, baseURL!, theme);
			const problems: string[] = [];
			let signedIn = false;
			for (const screen of SCREENS) {
				const session = screen.session !== false;
				if (session && !signedIn) {
					await login(page, USER);
					await setLanguage(page, baseURL!, lang);
					signedIn = true;
				} else if (!session) {
					await context.clearCookies({ name: 'hmi_session' });
					await context.addCookies([{ name: 'hmi_lang', value: lang, url: baseURL!, sameSite: 'Lax' }]);
					signedIn = false;
				}
				await open(page, screen.path, lang, theme, session);
				const { violations, passes } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
				const count = (impact: string) => violations.filter((v) => v.impact === impact).length;
				console.log(
					`[measure] axe ${screen.name} ${lang} ${theme}: critical ${count('critical')}, serious ${count('serious')}, moderate ${count('moderate')}, minor ${count('minor')} (rules passed ${passes.length})`
				);
				// An empty report from a page that did not render would pass: the checked page must have had content.
				expect(passes.length, `${screen.name}: axe checked nothing`).toBeGreaterThan(10);
				for (const v of violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
					problems.push(`${screen.name} ${lang} ${theme}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
				}
			}
			expect(problems).toEqual([]);
		});
	}
}

for (const screen of SCREENS) {
	test(`layout: ${screen.name} fits and is touchable from phone to wallboard, both themes, both languages`, async ({ page, context, baseURL }, testInfo) => {
		test.setTimeout(180_000);
		const session = screen.session !== false;
		if (session) await login(page, USER);
		for (const lang of LANGS) {
			if (session) await setLanguage(page, baseURL!, lang);
			else await context.addCookies([{ name: 'hmi_lang', value: lang, url: baseURL!, sameSite: 'Lax' }]);
			for (const theme of THEMES) {
				await setTheme(context, baseURL!, theme);
				for (const vp of VIEWPORTS) {
					await page.setViewportSize({ width: vp.width, height: vp.height });
					await open(page, screen.path, lang, theme, session);
					// Kept as a file in the test's output folder (and in the HTML report), pass or fail.
					const shot = testInfo.outputPath(`${screen.name}-${lang}-${theme}-${vp.name}-${vp.width}x${vp.height}.png`);
					await page.screenshot({ path: shot, fullPage: true });
					await testInfo.attach(shot.split('/').pop()!, { path: shot, contentType: 'image/png' });
					await test.step(`${lang} ${theme} ${vp.name}`, () => expectFitsAndTouchable(page));
				}
			}
		}
	});
}

test('keyboard only: skip link, plant → line → machine and back, a value trend opens and closes with Escape', async ({ page }) => {
	await login(page, 'operator');
	await page.request.post('/api/me/lang', { data: { lang: 'en' } });
	await page.goto('/operator');
	await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'online');

	// The first Tab reaches the skip link, which moves focus past the header.
	await page.keyboard.press('Tab');
	const skip = page.locator('a.skip');
	await expect(skip).toBeFocused();
	await expect(skip).toBeVisible();
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/#main$/);

	// The machine's name on its tile opens the detail screen.
	const machineLink = page.getByTestId('machine-link-acme/utrecht/packaging/line1/filler');
	await machineLink.focus();
	const ring = await machineLink.evaluate((el) => getComputedStyle(el).outlineStyle);
	expect(ring).toBe('solid');
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/operator\/line1\/filler$/);
	await expect(page.getByTestId('machine-detail')).toBeVisible();
	const crumbs = page.getByTestId('breadcrumb');
	await expect(crumbs.getByRole('link')).toHaveCount(3);
	await expect(crumbs.locator('[aria-current="page"]')).toHaveText('Filler');

	// A process value opens its trend; Escape closes it and focus returns to the value.
	const value = page.getByTestId('trend-open-acme/utrecht/packaging/line1/filler/product_temperature');
	await value.focus();
	await page.keyboard.press('Enter');
	const popup = page.getByTestId('trend-popup');
	await expect(popup).toBeVisible();
	await expect(page.getByTestId('trend-popup-close')).toBeFocused();
	await page.keyboard.press('Escape');
	await expect(popup).toBeHidden();
	await expect(value).toBeFocused();

	// Up the hierarchy again: the line in the breadcrumb leads to the overview at that line.
	await crumbs.getByRole('link').nth(1).focus();
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/operator#line-line1$/);
	await expect(page.getByTestId('line-line1')).toBeVisible();
});

test('an unknown machine is a translated 404, not a crash', async ({ page }) => {
	await login(page, 'operator');
	const res = await page.goto('/operator/line1/no-such-machine');
	expect(res?.status()).toBe(404);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('This machine is not in the plant.');
});

test('with an active alarm: the machine detail shows the fault, its reason and the alarm, and still passes axe in both themes', async ({ page, context, baseURL }, testInfo) => {
	test.setTimeout(180_000);
	const machinePath = `${LINE2}/labeler`;
	const alarmId = `${machinePath}/_alarms/fault`;
	const faults = await FaultInjector.connect();
	try {
		await login(page, 'operator');
		await page.request.post('/api/me/lang', { data: { lang: 'en' } });
		await waitUntilInactive(page.request, alarmId);
		await faults.inject(machinePath, BOTTLE_JAM);
		await page.goto('/operator/line2/labeler');
		const detail = page.getByTestId('machine-detail');
		await expect(detail).toHaveAttribute('data-state', 'fault');
		await expect(detail.getByTestId('reason')).toBeVisible();
		const alarm = page.getByTestId(`machine-alarm-${alarmId}`);
		await expect(alarm).toBeVisible();
		await expect(alarm).toHaveAttribute('data-state', 'unack_active');
		// Only this machine's alarms.
		for (const row of await page.getByTestId('machine-alarms').locator('li').all()) {
			expect(await row.getAttribute('data-testid')).toContain(`${machinePath}/`);
		}
		for (const theme of THEMES) {
			await setTheme(context, baseURL!, theme);
			await page.reload();
			await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
			await expect(alarm).toBeVisible();
			const shot = testInfo.outputPath(`machine-with-alarm-${theme}.png`);
			await page.screenshot({ path: shot, fullPage: true });
			await testInfo.attach(`machine-with-alarm-${theme}.png`, { path: shot, contentType: 'image/png' });
			const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
			const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
			expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);
		}
	} finally {
		await faults.clear(machinePath).catch(() => undefined);
		await faults.close();
	}
});
