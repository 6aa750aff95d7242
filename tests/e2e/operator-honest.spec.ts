import { expect, test, type Page, type WebSocketRoute } from '@playwright/test';
import { FILLER1_TEMP, LINE1, login, valueOf, waitForLive, SIZES, LANGS, screenshotFolder } from './helpers';

// Issue 15 (items 4 and 6): setpoints read and show the user's number notation, the confirm names the
// line and machine, a disabled control looks disabled and says why, values wait honestly for their first
// data, and error pages are translated inside the app frame. Each at tablet and wallboard size, in both
// languages; the screenshots go to test-results/i15/ to be looked at.

const TEMP_SETPOINT = `${LINE1}/filler/product_temperature_setpoint`;
/** Setpoints are changed on the machine's own screen (the overview only shows values). */
const FILLER_SCREEN = '/operator/line1/filler';
const SHOTS = screenshotFolder('i15');

const TEXT = {
	nl: { place: 'Lijn 1 · Vuller — Setpoint producttemperatuur', notFound: 'Pagina niet gevonden', back: 'Terug naar het startscherm', waiting: 'Wacht op gegevens', role: 'Uw rol (Manager) mag geen setpoints wijzigen.' },
	en: { place: 'Line 1 · Filler — Product temperature setpoint', notFound: 'Page not found', back: 'Back to the start screen', waiting: 'Waiting for data', role: 'Your role (Manager) may not change setpoints.' }
};

async function useLanguage(page: Page, lang: 'en' | 'nl'): Promise<void> {
	expect((await page.request.post('/api/me/lang', { data: { lang } })).ok()).toBe(true);
}

const shot = (page: Page, name: string, lang: string, size: { width: number; height: number }) =>
	page.screenshot({ path: `${SHOTS}/${name}-${lang}-${size.width}x${size.height}.png` });

test.afterEach(async ({ page }) => {
	// The language is stored per user: leave the shared demo users in English for the other journeys.
	await page.request.post('/api/me/lang', { data: { lang: 'en' } }).catch(() => {});
});

for (const size of SIZES) {
	for (const lang of LANGS) {
		test(`setpoint in ${lang} at ${size.width}×${size.height}: typed in the language's notation, confirm names line and machine`, async ({ page }) => {
			await page.setViewportSize(size);
			await login(page, 'operator');
			await useLanguage(page, lang);
			await page.goto(FILLER_SCREEN);
			await waitForLive(page);
			const sp = page.getByTestId(`setpoint-${TEMP_SETPOINT}`);
			const input = sp.getByTestId('setpoint-input');
			await expect(input).toBeEnabled();
			// The field shows the value as the screen writes numbers: `6,5` in Dutch, `6.5` in English.
			await expect(input).toHaveValue(lang === 'nl' ? /^\d+,\d$/ : /^\d+\.\d$/);
			const decimal = lang === 'nl' ? ',' : '.';
			const shown = await input.inputValue();
			// 7.5 is the value to write; when it is already in force, go to 7 first so the write is a change.
			if (shown === `7${decimal}5`) await writeSetpoint(page, '7', 7);
			await sp.scrollIntoViewIfNeeded();
			const body = await writeSetpoint(page, `7${decimal}5`, 7.5, async () => {
				const dialog = sp.getByTestId('setpoint-confirm');
				await expect(dialog.getByTestId('setpoint-change')).toHaveText(new RegExp(`^${TEXT[lang].place}: \\d+${decimal === '.' ? '\\.' : ','}\\d → 7${decimal === '.' ? '\\.' : ','}5\\s°C$`));
				await expect(dialog.getByTestId('setpoint-path')).toContainText(TEMP_SETPOINT);
				await shot(page, 'setpoint-confirm', lang, size);
			});
			expect(body.value).toBe(7.5);
			await expect(sp.getByTestId('setpoint-current')).toContainText(`7${decimal}5`);
		});
	}
}

/** Types `text` into the temperature setpoint, confirms, and returns the body that was posted (value `expected`). */
async function writeSetpoint(page: Page, text: string, expected: number, inDialog?: () => Promise<void>): Promise<{ path: string; value: number }> {
	const sp = page.getByTestId(`setpoint-${TEMP_SETPOINT}`);
	await sp.getByTestId('setpoint-input').fill(text);
	await sp.getByTestId('setpoint-set').click();
	const dialog = sp.getByTestId('setpoint-confirm');
	await expect(dialog).toBeVisible();
	await inDialog?.();
	const request = page.waitForRequest((r) => r.url().endsWith('/api/setpoints') && r.method() === 'POST');
	await dialog.getByTestId('setpoint-confirm-button').click();
	const body = (await request).postDataJSON() as { path: string; value: number };
	await expect(dialog).toBeHidden();
	await expect(sp.getByTestId('setpoint-message')).not.toBeEmpty();
	expect(body).toMatchObject({ path: TEMP_SETPOINT, value: expected });
	return body;
}

test('Dutch: 1.234 is refused as ambiguous, 1.234,5 as grouped; nothing can be sent', async ({ page }) => {
	await login(page, 'operator');
	await useLanguage(page, 'nl');
	await page.goto(FILLER_SCREEN);
	await waitForLive(page);
	const sp = page.getByTestId(`setpoint-${LINE1}/filler/speed_target`);
	const input = sp.getByTestId('setpoint-input');
	await input.fill('1.234');
	await expect(sp.getByTestId('setpoint-problem')).toHaveText('Bedoelt u 1,234 of 1234? Typ een van beide zoals hier geschreven.');
	await expect(sp.getByTestId('setpoint-set')).toBeDisabled();
	await expect(input).toHaveAttribute('aria-invalid', 'true');
	await input.fill('1.234,5');
	await expect(sp.getByTestId('setpoint-problem')).toHaveText('Typ het getal zonder punten of spaties voor de duizendtallen.');
	await expect(sp.getByTestId('setpoint-set')).toBeDisabled();
});

for (const size of SIZES) {
	for (const lang of LANGS) {
		test(`a disabled control looks disabled and says why (${lang}, ${size.width}×${size.height})`, async ({ page, browser }) => {
			// Enabled: the operator's step button.
			const operator = await browser.newPage({ viewport: size });
			await login(operator, 'operator');
			await operator.goto(FILLER_SCREEN);
			await waitForLive(operator);
			const enabledStep = operator.getByTestId(`setpoint-${TEMP_SETPOINT}`).getByTestId('setpoint-decrease');
			await expect(enabledStep).toBeEnabled();
			const enabled = await styleOf(enabledStep);
			await operator.close();

			await page.setViewportSize(size);
			await login(page, 'manager');
			await useLanguage(page, lang);
			await page.goto(FILLER_SCREEN);
			await waitForLive(page);
			const sp = page.getByTestId(`setpoint-${TEMP_SETPOINT}`);
			const step = sp.getByTestId('setpoint-decrease');
			await expect(step).toBeDisabled();
			const disabled = await styleOf(step);
			expect(disabled.cursor).toBe('not-allowed');
			expect(enabled.cursor).toBe('pointer');
			expect(disabled.borderStyle).not.toBe(enabled.borderStyle);
			expect(disabled.color).not.toBe(enabled.color);
			// The reason is visible text and is what the field and buttons are described by.
			const reason = sp.getByTestId('setpoint-blocked');
			await expect(reason).toHaveText(TEXT[lang].role);
			const input = sp.getByTestId('setpoint-input');
			await expect(input).toBeDisabled();
			await expect(input).toHaveAccessibleDescription(TEXT[lang].role);
			await expect(step).toHaveAccessibleDescription(TEXT[lang].role);
			expect((await styleOf(input)).cursor).toBe('not-allowed');
			await sp.scrollIntoViewIfNeeded();
			await shot(page, 'setpoint-disabled-manager', lang, size);
		});
	}
}

async function styleOf(el: import('@playwright/test').Locator) {
	return el.evaluate((e) => {
		const s = getComputedStyle(e);
		return { cursor: s.cursor, borderStyle: s.borderTopStyle, color: s.color, background: s.backgroundColor };
	});
}

/** Holds every message from the server until `release()`: the socket opens, but no data arrives yet. */
async function holdLiveData(page: Page): Promise<{ release(): void }> {
	let held = true;
	const queued: { ws: WebSocketRoute; message: string | Buffer }[] = [];
	await page.routeWebSocket(/\/ws$/, (ws) => {
		const server = ws.connectToServer();
		server.onMessage((message) => {
			if (held) queued.push({ ws, message });
			else ws.send(message);
		});
	});
	return {
		release() {
			held = false;
			for (const q of queued.splice(0)) q.ws.send(q.message);
		}
	};
}

for (const size of SIZES) {
	for (const lang of LANGS) {
		test(`before the first value: "waiting for data", not Stale (${lang}, ${size.width}×${size.height})`, async ({ page }) => {
			await page.setViewportSize(size);
			await login(page, 'operator');
			await useLanguage(page, lang);
			const gate = await holdLiveData(page);
			await page.goto('/operator');
			const temp = valueOf(page, FILLER1_TEMP);
			await expect(temp).toHaveAttribute('data-quality', 'waiting');
			const tile = page.getByTestId(`machine-${LINE1}/filler`);
			await expect(tile.getByTestId('waiting-marker').first()).toHaveText(TEXT[lang].waiting);
			await expect(page.getByTestId('stale-marker')).toHaveCount(0);
			await expect(tile.getByTestId('state')).toHaveText(TEXT[lang].waiting);
			// The source's state has not arrived either: no warning about it yet.
			await expect(page.getByTestId('source-down-line1')).toHaveCount(0);
			await page.waitForTimeout(500); // let the header settle for the picture
			await shot(page, 'waiting-for-data', lang, size);
			gate.release();
			await expect(temp).toHaveAttribute('data-quality', 'good');
			await expect(page.getByTestId('waiting-marker')).toHaveCount(0);
		});
	}
}

for (const size of SIZES) {
	for (const lang of LANGS) {
		test(`an unknown screen is a translated 404 inside the app frame, with a way back (${lang}, ${size.width}×${size.height})`, async ({ page }) => {
			await page.setViewportSize(size);
			await login(page, 'operator');
			await useLanguage(page, lang);
			const res = await page.goto('/geen-scherm/hier');
			expect(res?.status()).toBe(404);
			const error = page.getByTestId('error-page');
			await expect(error.getByRole('heading', { level: 1 })).toHaveText(TEXT[lang].notFound);
			await expect(error).not.toContainText('Not Found');
			// Inside the app frame: header with navigation and logout.
			await expect(page.getByRole('navigation')).toBeVisible();
			await expect(page.getByTestId('user-menu')).toBeVisible();
			await shot(page, 'not-found', lang, size);
			await error.getByRole('link', { name: TEXT[lang].back }).click();
			await expect(page).toHaveURL(/\/operator$/);
		});
	}
}

test('a 403 page for a role that may not open the screen is translated, inside the frame', async ({ page }) => {
	await login(page, 'manager');
	await useLanguage(page, 'nl');
	const res = await page.goto('/admin/users');
	expect(res?.status()).toBe(403);
	const error = page.getByTestId('error-page');
	await expect(error.getByRole('heading', { level: 1 })).toHaveText('Geen toegang');
	await expect(error).toContainText('Uw rol mag dit scherm niet openen.');
	await expect(error).not.toContainText('role may not');
	await expect(page.getByTestId('user-menu')).toBeVisible();
	await shot(page, 'forbidden', 'nl', { width: 1024, height: 768 });
});

test('API paths are not app screens: an unknown one stays a 404, never a redirect to the sign-in page', async ({ request }) => {
	const res = await request.get('/api/no-such-thing', { maxRedirects: 0 });
	expect(res.status()).toBe(404);
});
