import { expect, test, type Page } from '@playwright/test';
import { FILLER1_TEMP, LINE2, login, valueOf, waitForLive } from './helpers';
import { FaultInjector, waitUntilInactive } from './faults';

// The browser loses its network (Playwright's setOffline fires the window's offline/online events). The
// live client must say so at once, abandon its socket, mark values stale and disable writes; back online it
// reconnects and trusts values again only after fresh snapshots. A watcher in the page records any moment
// in which a value looked fresh while the connection was not online.

/** The server's heartbeat: without the browser's event, a dead socket would take this long (or twice) to notice. */
const HEARTBEAT_MS = 15_000;
const MOTOR_OVERLOAD = 202;
const FILLER2 = `${LINE2}/filler`;

/** Starts recording every DOM state in which a value is marked good while the indicator is not online. */
async function watchForFreshWhileOffline(page: Page): Promise<void> {
	await page.evaluate(() => {
		const w = window as unknown as { __freshWhileOffline: string[] };
		w.__freshWhileOffline = [];
		const check = () => {
			const status = document.querySelector('[data-testid="connection"]')?.getAttribute('data-status');
			if (status === 'online') return;
			const good = document.querySelectorAll('[data-quality="good"]');
			if (good.length > 0) w.__freshWhileOffline.push(`${status}: ${good.length} good, e.g. ${good[0].outerHTML.slice(0, 120)}`);
		};
		new MutationObserver(check).observe(document.body, { subtree: true, attributes: true, childList: true, characterData: true });
	});
}

const freshWhileOffline = (page: Page) => page.evaluate(() => (window as unknown as { __freshWhileOffline: string[] }).__freshWhileOffline);

test('offline on the operator screen: banner at once, values stale, then connected and fresh again', async ({ page, context }) => {
	await login(page);
	await waitForLive(page);
	const connection = page.getByTestId('connection');
	const temp = valueOf(page, FILLER1_TEMP);
	await expect(temp).toHaveAttribute('data-quality', 'good');
	await watchForFreshWhileOffline(page);

	const wentOffline = Date.now();
	await context.setOffline(true);
	await expect(connection).toHaveAttribute('data-status', 'offline', { timeout: HEARTBEAT_MS });
	const bannerMs = Date.now() - wentOffline;
	// It says why (the device has no network), and offers no retry that could not work.
	await expect(connection).toContainText('no network on this device');
	await expect(connection.getByRole('button', { name: 'Retry' })).toHaveCount(0);
	await expect(temp).toHaveAttribute('data-quality', 'stale');
	await expect(temp).toHaveAttribute('data-stale-reason', 'offline');
	await expect(temp).toHaveText(/\d/); // the last value stays readable, marked
	await expect(page.locator('[data-quality="good"]')).toHaveCount(0);
	// Stays offline: no value turns good behind the user's back.
	await page.waitForTimeout(3000);
	await expect(connection).toHaveAttribute('data-status', 'offline');
	await expect(page.locator('[data-quality="good"]')).toHaveCount(0);

	const cameBack = Date.now();
	await context.setOffline(false);
	await expect(connection).toHaveAttribute('data-status', 'online', { timeout: 20_000 });
	const onlineMs = Date.now() - cameBack;
	await expect(temp).toHaveAttribute('data-quality', 'good');
	await expect(temp).toHaveText(/\d/);
	expect(await freshWhileOffline(page)).toEqual([]);
	console.log(`[measure] browser offline: banner after ${bannerMs} ms; back online and synced after ${onlineMs} ms`);
});

test('offline on the alarm list: acknowledge is disabled until the connection is back', async ({ page, context }) => {
	test.setTimeout(180_000);
	const alarmId = `${FILLER2}/_alarms/fault`;
	const faults = await FaultInjector.connect();
	try {
		await login(page);
		await waitForLive(page);
		await waitUntilInactive(page.request, alarmId);
		await faults.inject(FILLER2, MOTOR_OVERLOAD);
		await page.goto('/alarms');
		const row = page.getByTestId(`alarm-row-${alarmId}`);
		await expect(row.getByTestId('alarm-state')).toHaveAttribute('data-state', 'unack_active');
		const ack = row.locator('button[data-action="ack"]');
		await expect(ack).toBeEnabled();
		await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'online');

		await context.setOffline(true);
		await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'offline', { timeout: HEARTBEAT_MS });
		await expect(ack).toBeDisabled();
		await expect(page.getByTestId('ack-all')).toBeDisabled();
		await expect(page.getByTestId('alarm-actions-offline')).toBeVisible();

		await context.setOffline(false);
		await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'online', { timeout: 20_000 });
		await expect(ack).toBeEnabled();
		await expect(page.getByTestId('alarm-actions-offline')).toBeHidden();
	} finally {
		await faults.clear(FILLER2).catch(() => undefined);
		await faults.close();
	}
});
