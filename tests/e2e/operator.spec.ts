import { expect, test, type WebSocket } from '@playwright/test';
import { FILLER1_TEMP, LINE1, LINE2, login, openUserMenu, switchLanguage, valueOf, waitForLive, controlLiveSocket, expectFitsAndTouchable } from './helpers';

test('process values change without a reload', async ({ page }) => {
	let loads = 0;
	page.on('load', () => loads++);
	await login(page);
	await waitForLive(page);
	const loadsBefore = loads;

	// Any of the fillers' values on the overview will do: which one moves first depends on the simulation.
	const watched = ['product_temperature', 'speed'].flatMap((tag) =>
		[LINE1, LINE2].map((line) => valueOf(page, `${line}/filler/${tag}`))
	);
	const read = async () => (await Promise.all(watched.map((v) => v.textContent()))).join('|');
	const first = await read();
	await expect.poll(read, { timeout: 10_000, intervals: [250] }).not.toBe(first);
	expect(loads).toBe(loadsBefore);
	await expect(valueOf(page, FILLER1_TEMP)).toHaveAttribute('data-quality', 'good');
});

test('machines show their state as text and shape', async ({ page }) => {
	await login(page);
	await waitForLive(page);
	for (const line of [LINE1, LINE2]) {
		const tile = page.getByTestId(`machine-${line}/filler`);
		const badge = tile.getByTestId('state');
		await expect(badge).not.toHaveAttribute('data-state', 'unknown');
		await expect(badge.locator('svg')).toBeVisible();
		await expect(badge).toHaveText(/\p{L}/u);
	}
});

test('Nederlands: Dutch labels and a decimal comma, kept after a reload', async ({ page }) => {
	await login(page);
	await waitForLive(page);
	await switchLanguage(page, 'nl');

	await expect(page.getByTestId('logout')).toHaveText('Uitloggen');
	await expect(page.getByRole('heading', { name: 'Lijn 1' })).toBeVisible();
	await expect(page.getByTestId(`machine-${LINE1}/filler`)).toContainText('Producttemperatuur');
	await expect(page.getByTestId('connection')).toContainText('Online');
	await expect(valueOf(page, FILLER1_TEMP)).toHaveText(/^\d+,\d\s°C$/);

	// The choice is stored for the user: a fresh page load renders Dutch on the server already.
	await page.reload();
	await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
	await expect(page.getByTestId('logout')).toHaveText('Uitloggen');

	await switchLanguage(page, 'en');
	await expect(page.getByTestId('logout')).toHaveText('Log out');
	await expect(valueOf(page, FILLER1_TEMP)).toHaveText(/^\d+\.\d\s°C$/);
});

test('logging out closes the live socket and locks the app', async ({ page }) => {
	const sockets: WebSocket[] = [];
	const closed: string[] = [];
	page.on('websocket', (ws) => {
		if (!new URL(ws.url()).pathname.endsWith('/ws')) return;
		sockets.push(ws);
		ws.on('close', () => closed.push(ws.url()));
	});
	await login(page);
	await waitForLive(page);
	expect(sockets.length).toBeGreaterThan(0);

	await openUserMenu(page);
	await page.getByTestId('logout').click();
	await expect(page).toHaveURL(/\/login$/);
	await expect.poll(() => closed.length).toBe(sockets.length);

	await page.goto('/operator');
	await expect(page).toHaveURL(/\/login$/);
});

test('a dropped socket marks values stale and says so; reconnecting restores them', async ({ page }) => {
	const socket = await controlLiveSocket(page);
	await login(page);
	await waitForLive(page);
	const connection = page.getByTestId('connection');
	const temp = valueOf(page, FILLER1_TEMP);
	await expect(temp).toHaveAttribute('data-quality', 'good');

	await socket.serverAway();
	await expect(connection).toHaveAttribute('data-status', /reconnecting|offline/);
	await expect(temp).toHaveAttribute('data-quality', 'stale');
	await expect(temp).toHaveAttribute('data-stale-reason', 'offline');
	await expect(page.getByTestId(`machine-${LINE1}/filler`).getByTestId('stale-marker').first()).toBeVisible();
	// The last value stays readable while marked.
	await expect(temp).toHaveText(/\d/);

	socket.serverBack();
	await expect(connection).toHaveAttribute('data-status', 'online', { timeout: 20_000 });
	await expect(temp).toHaveAttribute('data-quality', 'good');
});

test.describe('layout', () => {
	for (const size of [
		{ width: 1024, height: 768 },
		{ width: 1366, height: 1024 },
		{ width: 390, height: 844 }
	]) {
		test(`fits ${size.width}×${size.height} without horizontal scrolling; touch targets ≥ 44 px`, async ({ page }) => {
			await page.setViewportSize(size);
			await login(page);
			await waitForLive(page);
			await expectFitsAndTouchable(page);
		});
	}
});
