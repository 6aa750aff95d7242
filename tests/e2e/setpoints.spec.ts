import { expect, test } from '@playwright/test';
import { LINE1, controlLiveSocket, expectFitsAndTouchable, login, waitForLive } from './helpers';

const SPEED_TARGET = `${LINE1}/filler/speed_target`;
const control = (page: import('@playwright/test').Page) => page.getByTestId(`setpoint-${SPEED_TARGET}`);
/** Setpoints are changed on the machine's own screen (the overview only shows values). */
const FILLER_SCREEN = '/operator/line1/filler';

test('an operator changes the filler speed target with a confirm step and sees the value the simulator reports back', async ({ page }) => {
	await login(page, 'operator');
	await page.goto(FILLER_SCREEN);
	await waitForLive(page);
	const sp = control(page);
	await expect(sp.getByTestId('setpoint-current')).toHaveText(/\d/);
	const input = sp.getByTestId('setpoint-input');
	await expect(input).toBeEnabled();
	const before = Number(await input.inputValue());
	// One step down, or up when already at the bottom of the range (300).
	await sp.getByTestId(before > 300 ? 'setpoint-decrease' : 'setpoint-increase').click();
	const target = Number(await input.inputValue());
	expect(Math.abs(target - before)).toBe(10);

	await sp.getByTestId('setpoint-set').click();
	const dialog = sp.getByTestId('setpoint-confirm');
	await expect(dialog).toBeVisible();
	await expect(dialog.getByTestId('setpoint-change')).toHaveText(new RegExp(`${before}.*→.*${target}`));
	await expectFitsAndTouchable(page);
	await dialog.getByTestId('setpoint-confirm-button').click();
	await expect(dialog).toBeHidden();
	await expect(sp.getByTestId('setpoint-message')).toContainText(String(target));
	// The current value is the one the simulator reports on its tag, not the one typed.
	await expect(sp.getByTestId('setpoint-current')).toHaveText(new RegExp(`\\b${target}\\b`));
});

test('cancelling the confirm step writes nothing', async ({ page }) => {
	await login(page, 'operator');
	await page.goto(FILLER_SCREEN);
	await waitForLive(page);
	const sp = control(page);
	await expect(sp.getByTestId('setpoint-current')).toHaveText(/\d/);
	const shown = await sp.getByTestId('setpoint-current').textContent();
	const input = sp.getByTestId('setpoint-input');
	await input.fill('350');
	await sp.getByTestId('setpoint-set').click();
	await sp.getByTestId('setpoint-confirm').getByRole('button').first().click();
	await expect(sp.getByTestId('setpoint-confirm')).toBeHidden();
	await page.waitForTimeout(500);
	await expect(sp.getByTestId('setpoint-current')).toHaveText(shown!);
});

test('a value outside the range cannot be sent', async ({ page }) => {
	await login(page, 'operator');
	await page.goto(FILLER_SCREEN);
	await waitForLive(page);
	const sp = control(page);
	await sp.getByTestId('setpoint-input').fill('900');
	await expect(sp.getByTestId('setpoint-set')).toBeDisabled();
});

test('a manager sees the setpoints disabled, saying the role may not change them', async ({ page }) => {
	await login(page, 'manager');
	await page.goto(FILLER_SCREEN);
	await waitForLive(page);
	const sp = control(page);
	await expect(sp.getByTestId('setpoint-current')).toHaveText(/\d/);
	await expect(sp.getByTestId('setpoint-input')).toBeDisabled();
	await expect(sp.getByTestId('setpoint-set')).toBeDisabled();
	await expect(sp.getByTestId('setpoint-blocked')).toHaveText('Your role (Manager) may not change setpoints.');
});

test('while the live connection is down the control is disabled and says why', async ({ page }) => {
	const server = await controlLiveSocket(page);
	await login(page, 'operator');
	await page.goto(FILLER_SCREEN);
	await waitForLive(page);
	const sp = control(page);
	await expect(sp.getByTestId('setpoint-input')).toBeEnabled();
	await server.serverAway();
	await expect(sp.getByTestId('setpoint-input')).toBeDisabled();
	await expect(sp.getByTestId('setpoint-set')).toBeDisabled();
	await expect(sp.getByTestId('setpoint-blocked')).toHaveText('No live connection: setpoints cannot be changed now.');
	server.serverBack();
	await expect(sp.getByTestId('setpoint-input')).toBeEnabled({ timeout: 20_000 });
	await expect(sp.getByTestId('setpoint-blocked')).toHaveCount(0);
});

// The server's own side (a PLC that does not answer in time) is in tests/integration/setpoint-late-write.test.ts;
// here the screen: an unknown outcome must read as such, never as "not changed".
test('a write whose outcome is unknown tells the operator to check the value on the machine', async ({ page }) => {
	await page.route('**/api/setpoints', (route) =>
		route.fulfill({
			status: 504,
			contentType: 'application/json',
			body: JSON.stringify({ code: 'HMI_ERR_SETPOINT_OUTCOME_UNKNOWN', message: 'no answer from opcua-line1 within 5000 ms' })
		})
	);
	await login(page, 'operator');
	await page.goto(FILLER_SCREEN);
	await waitForLive(page);
	const sp = control(page);
	await expect(sp.getByTestId('setpoint-current')).toHaveText(/\d/);
	const input = sp.getByTestId('setpoint-input');
	const before = Number(await input.inputValue());
	await input.fill(String(before > 300 ? before - 10 : before + 10));
	await sp.getByTestId('setpoint-set').click();
	await sp.getByTestId('setpoint-confirm-button').click();
	const message = sp.getByTestId('setpoint-message');
	await expect(message).toContainText('not known whether');
	await expect(message).toContainText('Check the value on the machine');
	await expect(message).not.toContainText('not changed');
});
