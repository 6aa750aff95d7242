import { expect, test, type Page } from '@playwright/test';
import { LINE2, login, openUserMenu, switchLanguage, waitForLive, controlLiveSocket, expectFitsAndTouchable } from './helpers';
import { FaultInjector, waitUntilInactive } from './faults';

// Alarm journeys on the real stack: a fault injected into the simulator over MQTT goes through the HMI's
// alarm engine to the banner, the alarm list and the journal. Each journey uses its own line 2 machine, so
// one run's alarm does not stand in the way of the next.

/** How soon a new alarm must be on the operator's screen, measured from the MQTT publish. */
const BANNER_WITHIN_MS = 2_000;
const BOTTLE_JAM = 201;
const MOTOR_OVERLOAD = 202;

const machine = (id: string) => `${LINE2}/${id}`;
const faultAlarm = (id: string) => `${machine(id)}/_alarms/fault`;

async function logout(page: Page): Promise<void> {
	await openUserMenu(page);
	await page.getByTestId('logout').click();
	await expect(page).toHaveURL(/\/login$/);
}

/** Stores the user's language back as English, so a failed Dutch run does not carry over to other tests. */
async function resetLanguage(page: Page): Promise<void> {
	await page.request.post('/api/me/lang', { data: { lang: 'en' } }).catch(() => undefined);
}

interface Texts {
	lang: 'en' | 'nl';
	message: string;
	place: string;
	ack: string;
	ackTitle: string;
	comment: string;
	unacked: string;
	acked: string;
	ackDone: string;
	journalTab: string;
}

const ENGLISH: Texts = {
	lang: 'en',
	message: 'Machine fault',
	place: 'Line 2 · Capper',
	ack: 'Acknowledge',
	ackTitle: 'Acknowledge alarm',
	comment: 'Comment (optional)',
	unacked: 'Unacknowledged, active',
	acked: 'Acknowledged, active',
	ackDone: 'Acknowledged',
	journalTab: 'Journal'
};

const DUTCH: Texts = {
	lang: 'nl',
	message: 'Machinestoring',
	place: 'Lijn 2 · Etiketteerder',
	ack: 'Bevestigen',
	ackTitle: 'Alarm bevestigen',
	comment: 'Opmerking (optioneel)',
	unacked: 'Niet bevestigd actief',
	acked: 'Bevestigd actief',
	ackDone: 'Bevestigd',
	journalTab: 'Logboek'
};

/**
 * Inject a fault → the operator's banner shows it within 2 s → maintenance acknowledges it with a comment
 * on /alarms → the row shows it acknowledged → the journal has the acknowledgement by maintenance.
 */
async function journey(page: Page, machineId: string, t: Texts): Promise<void> {
	test.setTimeout(180_000);
	const alarmId = faultAlarm(machineId);
	const comment = `${t.lang === 'nl' ? 'opstopping verholpen' : 'jam cleared'} ${Date.now()}`;
	const faults = await FaultInjector.connect();
	try {
		await login(page, 'operator');
		await switchLanguage(page, t.lang);
		await waitForLive(page);
		await waitUntilInactive(page.request, alarmId);

		const banner = page.getByTestId('alarm-banner');
		const newest = banner.getByTestId('alarm-newest');
		const started = Date.now();
		await faults.inject(machine(machineId), BOTTLE_JAM);
		const left = () => Math.max(1, BANNER_WITHIN_MS - (Date.now() - started));
		await expect(newest).toHaveAttribute('data-alarm-id', alarmId, { timeout: left() });
		await expect(newest).toContainText(t.message, { timeout: left() });
		await expect(newest).toContainText(t.place, { timeout: left() });
		await expect(banner.getByTestId('alarm-count-high')).not.toHaveAttribute('data-count', '0', { timeout: left() });

		// The banner leads to the list.
		await newest.click();
		await expect(page).toHaveURL(/\/alarms$/);
		await expect(page.getByTestId(`alarm-row-${alarmId}`)).toBeVisible();
		// An operator may acknowledge, but not shelve.
		await expect(page.getByTestId(`alarm-row-${alarmId}`).getByRole('button', { name: t.ack })).toBeVisible();
		await expect(page.getByTestId(`alarm-row-${alarmId}`).locator('[data-action="shelve"]')).toHaveCount(0);
		await resetLanguage(page);
		await logout(page);

		await login(page, 'maintenance');
		await switchLanguage(page, t.lang);
		await page.goto('/alarms');
		await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'online');
		const row = page.getByTestId(`alarm-row-${alarmId}`);
		const state = row.getByTestId('alarm-state');
		await expect(state).toHaveText(t.unacked);
		await expect(state).toHaveAttribute('data-state', 'unack_active');
		await expect(row).toContainText(t.message);
		// Maintenance may also shelve and take out of service.
		await expect(row.locator('[data-action="shelve"]')).toBeVisible();
		await expect(row.locator('[data-action="out-of-service"]')).toBeVisible();

		// The dialog is modal: Escape closes it and focus goes back to the button that opened it.
		const ackButton = row.getByRole('button', { name: t.ack });
		await ackButton.click();
		const dialog = page.getByRole('dialog', { name: t.ackTitle });
		await expect(dialog).toBeVisible();
		const field = dialog.getByLabel(t.comment);
		await expect(field).toBeFocused();
		await page.keyboard.press('Escape');
		await expect(dialog).toBeHidden();
		await expect(ackButton).toBeFocused();
		await expect(state).toHaveAttribute('data-state', 'unack_active');

		await ackButton.click();
		await expect(field).toBeFocused();
		await field.fill(comment);
		await dialog.getByRole('button', { name: t.ack }).click();
		await expect(dialog).toBeHidden();

		await expect(state).toHaveText(t.acked);
		await expect(state).toHaveAttribute('data-state', 'ack_active');
		await expect(page.getByTestId('alarm-result')).toContainText(t.ackDone);
		await expect(page.getByTestId('alarm-result')).toHaveAttribute('data-tone', 'ok');
		// Acknowledged: no longer offered.
		await expect(row.locator('[data-action="ack"]')).toHaveCount(0);

		await page.getByRole('link', { name: t.journalTab }).click();
		await expect(page).toHaveURL(/\/alarms\/journal/);
		const entry = page.locator('tbody tr', { hasText: comment });
		await expect(entry).toHaveCount(1);
		await expect(entry).toHaveAttribute('data-alarm-id', alarmId);
		await expect(entry.getByTestId('journal-user')).toHaveText('maintenance');
		await expect(entry.getByTestId('journal-comment')).toHaveText(comment);
		await expect(entry.getByTestId('journal-action')).toHaveText(t.ackDone);
		await expect(entry.getByTestId('journal-change')).toHaveAttribute('data-to', 'ack_active');
		await expect(entry).toContainText(t.message);

		// The filters narrow the journal, and the export carries them.
		await page.getByTestId('journal-user-filter').fill('maintenance');
		await page.getByTestId('journal-alarm').fill(alarmId);
		await page.getByTestId('journal-apply').click();
		await expect(page).toHaveURL(/user=maintenance/);
		await expect(page.locator('tbody tr', { hasText: comment })).toHaveCount(1);
		const csv = page.getByTestId('journal-csv');
		await expect(csv).toHaveAttribute('href', /format=csv/);
		await expect(csv).toHaveAttribute('href', /user=maintenance/);
		const exported = await page.request.get((await csv.getAttribute('href'))!);
		expect(exported.headers()['content-type']).toContain('text/csv');
		expect(await exported.text()).toContain(comment);
	} finally {
		await faults.clear(machine(machineId)).catch(() => undefined);
		await faults.close();
		await resetLanguage(page);
	}
}

test('a fault reaches the banner at once; maintenance acknowledges it with a comment; the journal records it', async ({ page }) => {
	await journey(page, 'capper', ENGLISH);
});

test('Nederlands: dezelfde storing, bevestigd met een opmerking, staat in het logboek', async ({ page }) => {
	await journey(page, 'labeler', DUTCH);
});

test('maintenance shelves an alarm with a reason, sees who shelved it until when, and unshelves it', async ({ page }) => {
	test.setTimeout(180_000);
	const alarmId = faultAlarm('capper');
	const reason = `sensor replaced ${Date.now()}`;
	const faults = await FaultInjector.connect();
	try {
		await login(page, 'maintenance');
		await page.goto('/operator');
		await waitForLive(page);
		await waitUntilInactive(page.request, alarmId);
		await faults.inject(machine('capper'), BOTTLE_JAM);
		await page.goto('/alarms');
		const row = page.getByTestId(`alarm-row-${alarmId}`);
		await expect(row.getByTestId('alarm-state')).toHaveAttribute('data-state', 'unack_active');

		await row.getByRole('button', { name: 'Shelve' }).click();
		const dialog = page.getByRole('dialog', { name: 'Shelve alarm' });
		// A reason is required.
		await dialog.getByRole('button', { name: 'Shelve' }).click();
		await expect(dialog.getByRole('alert')).toHaveText('Enter a reason.');
		await expect(dialog).toBeVisible();
		await dialog.getByLabel('Reason (required)').fill(reason);
		await dialog.getByText('1 hr', { exact: true }).click();
		await dialog.getByRole('button', { name: 'Shelve' }).click();
		await expect(dialog).toBeHidden();
		await expect(page.getByTestId('alarm-result')).toContainText('Shelved: 1');

		// Shelved alarms leave the list, and come back with the filter.
		await expect(row).toHaveCount(0);
		await page.getByTestId('filter-hidden').check();
		await expect(row.getByTestId('alarm-state')).toHaveAttribute('data-state', 'shelved');
		await expect(row.getByTestId('alarm-shelve-info')).toContainText(`Shelved by maintenance until`);
		await expect(row.getByTestId('alarm-shelve-info')).toContainText(reason);

		await row.getByRole('button', { name: 'Unshelve' }).click();
		await expect(row.getByTestId('alarm-state')).toHaveAttribute('data-state', /unack_active|ack_active/);
		await expect(page.getByTestId('alarm-result')).toContainText('Unshelved: 1');
	} finally {
		await faults.clear(machine('capper')).catch(() => undefined);
		await faults.close();
	}
});

test('an operator acknowledges all visible alarms with one comment', async ({ page }) => {
	test.setTimeout(180_000);
	const ids = [faultAlarm('capper'), faultAlarm('labeler')];
	const comment = `shift handover ${Date.now()}`;
	const faults = await FaultInjector.connect();
	try {
		await login(page, 'operator');
		await waitForLive(page);
		for (const id of ids) await waitUntilInactive(page.request, id);
		await faults.inject(machine('capper'), BOTTLE_JAM);
		await faults.inject(machine('labeler'), BOTTLE_JAM);
		await page.goto('/alarms');
		for (const id of ids) await expect(page.getByTestId(`alarm-row-${id}`).getByTestId('alarm-state')).toHaveAttribute('data-state', 'unack_active');

		// Narrow the list to line 2, then acknowledge what is shown.
		await page.getByTestId('filter-line').selectOption('line2');
		const all = page.getByTestId('ack-all');
		await expect(all).toBeEnabled();
		const count = Number(/\((\d+)\)/.exec((await all.textContent()) ?? '')?.[1]);
		expect(count).toBeGreaterThanOrEqual(2);
		await all.click();
		const dialog = page.getByRole('dialog', { name: `Acknowledge ${count} alarms` });
		await dialog.getByLabel('Comment (optional)').fill(comment);
		await dialog.getByRole('button', { name: 'Acknowledge' }).click();
		await expect(dialog).toBeHidden();
		for (const id of ids) await expect(page.getByTestId(`alarm-row-${id}`).getByTestId('alarm-state')).toHaveAttribute('data-state', 'ack_active');
		await expect(page.getByTestId('alarm-result')).toContainText('Acknowledged:');

		await page.getByRole('link', { name: 'Journal' }).click();
		await expect(page.locator('tbody tr', { hasText: comment })).toHaveCount(count);
	} finally {
		for (const m of ['capper', 'labeler']) await faults.clear(machine(m)).catch(() => undefined);
		await faults.close();
	}
});

test('a machine fault shows the reason it started with', async ({ page }) => {
	// The simulator publishes `reason_code` just after `state`: the alarm must still show the fault's reason.
	test.setTimeout(180_000);
	const alarmId = faultAlarm('capper');
	const faults = await FaultInjector.connect();
	try {
		await login(page, 'maintenance');
		await page.goto('/operator');
		await waitForLive(page);
		await waitUntilInactive(page.request, alarmId);
		await faults.inject(machine('capper'), MOTOR_OVERLOAD);
		await page.goto('/alarms');
		const row = page.getByTestId(`alarm-row-${alarmId}`);
		await expect(row.getByTestId('alarm-state')).toHaveAttribute('data-state', 'unack_active');
		await expect(row.getByTestId('alarm-cause')).toContainText('Motor overload');
	} finally {
		await faults.clear(machine('capper')).catch(() => undefined);
		await faults.close();
	}
});

test('a manager sees the alarm list and the journal, but no actions', async ({ page }) => {
	test.setTimeout(180_000);
	const alarmId = faultAlarm('filler');
	const faults = await FaultInjector.connect();
	try {
		await login(page, 'manager');
		await page.goto('/operator');
		await waitForLive(page);
		await faults.inject(machine('filler'), MOTOR_OVERLOAD);
		await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Alarms' }).click();
		await expect(page).toHaveURL(/\/alarms$/);
		const row = page.getByTestId(`alarm-row-${alarmId}`);
		await expect(row).toBeVisible();
		await expect(page.getByTestId('alarm-list').getByRole('button')).toHaveCount(0);
		await expect(page.getByTestId('ack-all')).toHaveCount(0);
		await expect(page.getByTestId('alarm-read-only')).toBeVisible();

		await page.getByRole('link', { name: 'Journal' }).click();
		await expect(page.getByTestId('journal-table').or(page.getByTestId('journal-empty'))).toBeVisible();
		await expect(page.getByTestId('journal-error')).toHaveCount(0);
	} finally {
		await faults.clear(machine('filler')).catch(() => undefined);
		await faults.close();
	}
});

test('while the live connection is down, alarm actions are disabled', async ({ page }) => {
	const socket = await controlLiveSocket(page);
	await login(page, 'maintenance');
	await page.goto('/alarms');
	const connection = page.getByTestId('connection');
	await expect(connection).toHaveAttribute('data-status', 'online');
	await expect(page.getByTestId('alarm-actions-offline')).toHaveCount(0);

	await socket.serverAway();
	await expect(page.getByTestId('alarm-actions-offline')).toBeVisible();
	// The banner does not claim "no alarms" while it cannot know.
	await expect(page.getByTestId('alarm-banner')).toHaveAttribute('data-stale', 'true');
	await expect(page.getByTestId('ack-all')).toBeDisabled();
	for (const button of await page.getByTestId('alarm-list').getByRole('button').all()) await expect(button).toBeDisabled();

	socket.serverBack();
	await expect(connection).toHaveAttribute('data-status', 'online', { timeout: 20_000 });
	await expect(page.getByTestId('alarm-actions-offline')).toHaveCount(0);
	await expect(page.getByTestId('alarm-banner')).toHaveAttribute('data-stale', 'false');
});

test.describe('layout', () => {
	for (const size of [
		{ width: 1024, height: 768 },
		{ width: 390, height: 844 }
	]) {
		for (const path of ['/alarms', '/alarms/journal']) {
			test(`${path} fits ${size.width}×${size.height} without horizontal scrolling; touch targets ≥ 44 px`, async ({ page }) => {
				await page.setViewportSize(size);
				await login(page, 'maintenance');
				await page.goto(path);
				await expect(page.getByTestId('alarm-banner')).toBeVisible();
				await expectFitsAndTouchable(page);
			});
		}
	}
});
