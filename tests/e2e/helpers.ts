import { expect, type Page } from '@playwright/test';

export const LINE1 = 'acme/utrecht/packaging/line1';
export const LINE2 = 'acme/utrecht/packaging/line2';
export const FILLER1_TEMP = `${LINE1}/filler/product_temperature`;

/** The element that shows a tag's value (number and unit). */
export const valueOf = (page: Page, path: string) => page.getByTestId(`value-${path}`);

/** Signs in through the form (language-independent: fields by name) and waits for the operator screen. */
export async function login(page: Page, username = 'operator', password = username): Promise<void> {
	await page.goto('/login');
	await page.locator('input[name="username"]').fill(username);
	await page.locator('input[name="password"]').fill(password);
	await page.locator('form button[type="submit"]').click();
	await expect(page).toHaveURL(/\/operator$/);
}

/** Waits until the live connection is up, every data source is connected, and a value has arrived for `path`. */
export async function waitForLive(page: Page, path = FILLER1_TEMP): Promise<void> {
	const connection = page.getByTestId('connection');
	await expect(connection).toHaveAttribute('data-status', 'online');
	await expect(connection).toHaveAttribute('data-sources-down', '0');
	await expect(valueOf(page, path)).toHaveText(/\d/);
}

/** Switches the UI language with the header/login buttons and waits until it took effect. */
export async function switchLanguage(page: Page, lang: 'en' | 'nl'): Promise<void> {
	const button = page.getByTestId(`lang-${lang}`);
	await button.click();
	await expect(button).toHaveAttribute('aria-pressed', 'true');
	await expect(page.locator('html')).toHaveAttribute('lang', lang);
}
