import { mkdirSync } from 'node:fs';
import { expect, type Page, type WebSocketRoute } from '@playwright/test';
import { startPage, type Role } from '../../src/lib/shared/permissions';

export const LINE1 = 'acme/utrecht/packaging/line1';
export const LINE2 = 'acme/utrecht/packaging/line2';
export const FILLER1_TEMP = `${LINE1}/filler/product_temperature`;

/** The screens every layout is checked on: a 10" tablet and a wallboard. */
export const SIZES = [
	{ width: 1024, height: 768 },
	{ width: 1920, height: 1080 }
] as const;
export const LANGS = ['nl', 'en'] as const;

/** A folder under test-results for screenshots that are kept to be looked at; made if missing. */
export function screenshotFolder(name: string): string {
	const folder = `test-results/${name}`;
	mkdirSync(folder, { recursive: true });
	return folder;
}

/** The element that shows a tag's value (number and unit). */
export const valueOf = (page: Page, path: string) => page.getByTestId(`value-${path}`);

/**
 * Signs in through the form (language-independent: fields by name) and waits for the start screen of
 * the user's role: the operator screen for operators and admins, the alarm list for maintenance, the KPIs
 * for managers. A demo user's name is its role; any other user is taken for an operator unless `role` says.
 */
export async function login(page: Page, username = 'operator', password = username, role: Role = DEMO_ROLES.find((r) => r === username) ?? 'operator'): Promise<void> {
	await page.goto('/login');
	await page.locator('input[name="username"]').fill(username);
	await page.locator('input[name="password"]').fill(password);
	await page.locator('form button[type="submit"]').click();
	await expect(page).toHaveURL(new RegExp(`${startPage(role)}$`));
}

const DEMO_ROLES: readonly Role[] = ['operator', 'maintenance', 'manager', 'admin'];

/** Waits until the live connection is up, every data source is connected, and a value has arrived for `path`. */
export async function waitForLive(page: Page, path = FILLER1_TEMP): Promise<void> {
	const connection = page.getByTestId('connection');
	await expect(connection).toHaveAttribute('data-status', 'online');
	await expect(connection).toHaveAttribute('data-sources-down', '0');
	await expect(valueOf(page, path)).toHaveText(/\d/);
}

/**
 * Opens the header's user menu (language, theme, log out) when the page has one and it is closed; on the
 * sign-in page the controls are on the page itself.
 */
export async function openUserMenu(page: Page): Promise<void> {
	const toggle = page.getByTestId('user-menu');
	if ((await toggle.count()) === 0) return;
	if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
	await expect(page.getByTestId('user-menu-panel')).toBeVisible();
}

/** Switches the UI language with the header (user menu) or login buttons and waits until it took effect. */
export async function switchLanguage(page: Page, lang: 'en' | 'nl'): Promise<void> {
	await openUserMenu(page);
	const button = page.getByTestId(`lang-${lang}`);
	await button.click();
	await expect(button).toHaveAttribute('aria-pressed', 'true');
	await expect(page.locator('html')).toHaveAttribute('lang', lang);
}

/**
 * Puts the page's live socket behind a switch, to play a server that goes away and comes back:
 * `serverAway()` closes the socket (1001, as a restarting server does) and refuses reconnects until
 * `serverBack()`. Call it before the page opens its socket.
 */
export async function controlLiveSocket(page: Page): Promise<{ serverAway(): Promise<void>; serverBack(): void }> {
	let allow = true;
	const routes: WebSocketRoute[] = [];
	await page.routeWebSocket(/\/ws$/, (ws) => {
		if (!allow) {
			ws.close({ code: 1001, reason: 'test: server away' });
			return;
		}
		ws.connectToServer();
		routes.push(ws);
	});
	return {
		async serverAway() {
			allow = false;
			for (const ws of routes) await ws.close({ code: 1001, reason: 'test: server restart' });
		},
		serverBack() {
			allow = true;
		}
	};
}

/**
 * The tablet rules every screen must meet: nothing overflows sideways, and every visible control is at
 * least 44×44 px. A checkbox or radio is tapped through its label, so there the label is the target.
 */
export async function expectFitsAndTouchable(page: Page): Promise<void> {
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(overflow).toBeLessThanOrEqual(0);
	const small = await page.evaluate(() =>
		[...document.querySelectorAll<HTMLElement>('button, a[href], input, select')]
			.filter((el) => el.offsetParent !== null)
			.map((el) => {
				const viaLabel = el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio') && el.closest('label');
				const target = viaLabel ? el.closest('label')! : el;
				return { el: el.outerHTML.slice(0, 80), ...target.getBoundingClientRect().toJSON() };
			})
			.filter((r) => r.height < 44 || r.width < 44)
	);
	expect(small).toEqual([]);
}
