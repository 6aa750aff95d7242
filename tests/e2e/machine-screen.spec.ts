import { expect, test, type Page } from '@playwright/test';
import { FILLER1_TEMP, LINE1, LINE2, login, waitForLive, SIZES, LANGS, screenshotFolder } from './helpers';
import { alarmRecord, FaultInjector, waitUntilInactive } from './faults';

// Issue 15 (item 3): the machine screen (level 3) carries what the overview no longer does: the setpoints,
// every process value with its normal band and alarm limits, the machine's alarms with Acknowledge, and its
// OEE and counts for the shift. At tablet and wallboard size, in both languages; screenshots in
// test-results/i15/ to be looked at.

const SHOTS = screenshotFolder('i15');

const SPEED_TARGET = `${LINE1}/filler/speed_target`;
const LABELER2 = `${LINE2}/labeler`;
const LABELER2_FAULT = `${LABELER2}/_alarms/fault`;
/** A bottle jam: a fault reason of the demo plant. */
const BOTTLE_JAM = 201;
const TEXT = {
	nl: { ack: 'Bevestigen', setpoints: 'Instelwaarden', place: 'Lijn 1 · Vuller — Snelheidsdoel' },
	en: { ack: 'Acknowledge', setpoints: 'Setpoints', place: 'Line 1 · Filler — Speed target' }
};

async function useLanguage(page: Page, lang: 'en' | 'nl'): Promise<void> {
	expect((await page.request.post('/api/me/lang', { data: { lang } })).ok()).toBe(true);
}

/** Measured size of an element's text, px. */
const fontPx = (page: Page, testid: string) => page.getByTestId(testid).evaluate((el) => parseFloat(getComputedStyle(el).fontSize));

test.describe.configure({ mode: 'serial' });

let faults: FaultInjector;

test.beforeAll(async ({ browser }) => {
	test.setTimeout(150_000);
	faults = await FaultInjector.connect();
	// A standing alarm on line 2's labeler, so each size and language has one to acknowledge.
	const page = await browser.newPage();
	await login(page, 'operator');
	// Every source connected first: the simulator takes commands once its line is up.
	await page.goto('/operator/line2/labeler');
	await waitForLive(page, `${LABELER2}/glue_temperature`);
	await waitUntilInactive(page.request, LABELER2_FAULT);
	await faults.inject(LABELER2, BOTTLE_JAM);
	await expect.poll(async () => (await alarmRecord(page.request, LABELER2_FAULT))?.state, { timeout: 30_000 }).toBe('unack_active');
	await page.close();
});

test.afterAll(async () => {
	await faults.clear(LABELER2).catch(() => undefined);
	await faults.close();
});

test.afterEach(async ({ page }) => {
	// The language is stored per user: leave the shared demo users in English for the other journeys.
	await page.request.post('/api/me/lang', { data: { lang: 'en' } }).catch(() => {});
});

for (const size of SIZES) {
	for (const lang of LANGS) {
		test(`machine screen in ${lang} at ${size.width}×${size.height}: setpoints, limits, shift OEE, alarms with Acknowledge`, async ({ page }) => {
			await page.setViewportSize(size);
			await login(page, 'operator');
			await useLanguage(page, lang);
			await page.goto('/operator/line1/filler');
			await waitForLive(page);

			// Setpoints live here now.
			const setpoints = page.getByTestId('machine-setpoints');
			await expect(setpoints.getByRole('heading')).toHaveText(TEXT[lang].setpoints);
			await expect(page.getByTestId(`setpoint-${SPEED_TARGET}`).getByTestId('setpoint-input')).toBeEnabled();

			// Every process value: ≥ 32 px, with its band and the limits the plant declares.
			expect(await fontPx(page, `value-${FILLER1_TEMP}`)).toBeGreaterThanOrEqual(32);
			const temp = page.getByTestId(`trend-open-${FILLER1_TEMP}`);
			await expect(temp.getByTestId('limit-bar')).toBeVisible();
			for (const [level, limit] of [['l', '4'], ['h', '10'], ['hh', '12']]) {
				await expect(temp.getByTestId(`limit-mark-${level}`)).toHaveAttribute('data-limit-value', limit);
			}
			await expect(temp.getByTestId('limit-mark-ll')).toHaveCount(0);
			const pressure = page.getByTestId(`trend-open-${LINE1}/filler/co2_pressure`);
			await expect(pressure.locator('[data-testid^="limit-mark-"]')).toHaveCount(4);
			// HH right of H, on the bar.
			const hAt = await temp.getByTestId('limit-mark-h').evaluate((el) => el.getBoundingClientRect().left);
			const hhAt = await temp.getByTestId('limit-mark-hh').evaluate((el) => el.getBoundingClientRect().left);
			expect(hhAt).toBeGreaterThan(hAt);

			// OEE of the current shift, as a percentage in the language's notation.
			const shift = page.getByTestId('machine-shift');
			await expect(shift.getByTestId('kpi-oee-value')).toHaveText(lang === 'nl' ? /^\d+(,\d)?\s%$/ : /^\d+(\.\d)?%$/);
			await expect(shift.getByTestId('kpi-good')).toHaveText(/\d/);
			await page.screenshot({ path: `${SHOTS}/machine-filler-${lang}-${size.width}x${size.height}.png` });
			await page.screenshot({ path: `${SHOTS}/machine-filler-full-${lang}-${size.width}x${size.height}.png`, fullPage: true });

			// A machine with a standing alarm: the Acknowledge button is on its row.
			await page.goto('/operator/line2/labeler');
			const row = page.getByTestId(`machine-alarm-${LABELER2_FAULT}`);
			await expect(row).toHaveAttribute('data-state', 'unack_active');
			await expect(row.getByTestId('machine-alarm-ack')).toHaveText(TEXT[lang].ack);
			await expect(row.getByTestId('machine-alarm-ack')).toBeEnabled();
			await page.screenshot({ path: `${SHOTS}/machine-labeler-alarm-${lang}-${size.width}x${size.height}.png` });
		});
	}
}

test('a setpoint is written through the confirm dialog on the machine screen, which names line and machine', async ({ page }) => {
	await login(page, 'operator');
	await page.goto('/operator/line1/filler');
	await waitForLive(page);
	const sp = page.getByTestId(`setpoint-${SPEED_TARGET}`);
	await expect(sp.getByTestId('setpoint-current')).toHaveText(/\d/);
	const input = sp.getByTestId('setpoint-input');
	const before = Number(await input.inputValue());
	const target = before > 300 ? before - 10 : before + 10;
	await input.fill(String(target));
	await sp.getByTestId('setpoint-set').click();
	const dialog = sp.getByTestId('setpoint-confirm');
	await expect(dialog.getByTestId('setpoint-change')).toHaveText(new RegExp(`^${TEXT.en.place}: ${before} → ${target}\\s?/min$`));
	await dialog.getByTestId('setpoint-confirm-button').click();
	await expect(dialog).toBeHidden();
	await expect(sp.getByTestId('setpoint-current')).toHaveText(new RegExp(`\\b${target}\\b`));
});

test('an alarm is acknowledged from the machine screen, with a comment', async ({ page }) => {
	await login(page, 'operator');
	await page.goto('/operator/line2/labeler');
	const row = page.getByTestId(`machine-alarm-${LABELER2_FAULT}`);
	await expect(row).toHaveAttribute('data-state', 'unack_active');
	const posted = page.waitForRequest((r) => r.url().endsWith('/api/alarms/ack') && r.method() === 'POST');
	await row.getByTestId('machine-alarm-ack').click();
	const dialog = page.getByTestId('alarm-dialog');
	await dialog.locator('textarea').fill('jam cleared at the infeed');
	await dialog.getByTestId('alarm-dialog-submit').click();
	expect((await posted).postDataJSON()).toEqual({ ids: [LABELER2_FAULT], comment: 'jam cleared at the infeed' });
	await expect(dialog).toBeHidden();
	await expect(page.getByTestId('machine-alarm-result')).toHaveAttribute('data-tone', 'ok');
	await expect(row).toHaveAttribute('data-state', 'ack_active');
	await expect(row.getByTestId('machine-alarm-ack')).toHaveCount(0);
});
