import { expect, test, type Locator, type Page, type Request } from '@playwright/test';
import { FILLER1_TEMP, LINE1, login, switchLanguage, waitForLive, expectFitsAndTouchable } from './helpers';

// Trend journeys on the real stack: history from the historian, live values over the socket, zoom that
// reloads history, the Dutch view, and the popup trend from the operator screen.

const FILLER1_SPEED = `${LINE1}/filler/speed`;

const trendUrl = (range: string, pens: string[] = [FILLER1_TEMP]) =>
	`/trends?${pens.map((p) => `pen=${encodeURIComponent(p)}`).join('&')}&range=${range}`;

const attr = async (el: Locator, name: string) => Number(await el.getAttribute(name));

/** Opens a trend and waits until the chart is drawn and holds samples. */
async function openTrend(page: Page, range: string, pens?: string[]): Promise<Locator> {
	await page.goto(trendUrl(range, pens));
	const chart = page.getByTestId('trend-chart');
	await expect(chart).toHaveAttribute('data-ready', 'true');
	await expect.poll(() => attr(chart, 'data-points'), { timeout: 10_000 }).toBeGreaterThan(0);
	return chart;
}

/** Stores the user's language back as English, so a failed Dutch run does not carry over to other tests. */
async function resetLanguage(page: Page): Promise<void> {
	await page.request.post('/api/me/lang', { data: { lang: 'en' } }).catch(() => undefined);
}

const historyRequests = (page: Page) => {
	const seen: URL[] = [];
	page.on('request', (r: Request) => {
		const url = new URL(r.url());
		if (url.pathname === '/api/history') seen.push(url);
	});
	return seen;
};

test('a process value from the URL: history, then the line grows live; the legend shows the live value', async ({ page }) => {
	await login(page);
	const requests = historyRequests(page);
	const chart = await openTrend(page, '5m');
	expect(requests.some((u) => u.searchParams.get('path') === FILLER1_TEMP)).toBe(true);
	await expect(page.getByTestId('range-5m')).toHaveAttribute('aria-pressed', 'true');
	await expect(chart).toHaveAttribute('data-following', 'true');
	await expect(page.getByTestId(`legend-${FILLER1_TEMP}`)).toContainText('Product temperature');
	await expect(page.getByTestId(`legend-${FILLER1_TEMP}`)).toContainText('Line 1 · Filler');
	await expect(page.getByTestId(`legend-value-${FILLER1_TEMP}`)).toHaveText(/^\d+\.\d\s°C$/);

	const lastX = await attr(chart, 'data-last-x');
	const to = await attr(chart, 'data-to');
	await expect.poll(() => attr(chart, 'data-last-x'), { timeout: 10_000 }).toBeGreaterThan(lastX);
	await expect.poll(() => attr(chart, 'data-to'), { timeout: 10_000 }).toBeGreaterThan(to);
	// The window is five minutes wide.
	expect((await attr(chart, 'data-to')) - (await attr(chart, 'data-from'))).toBeCloseTo(5 * 60_000, -3);

	// Paused: the window stands still while values keep coming in.
	await page.getByTestId('trend-pause').click();
	await expect(chart).toHaveAttribute('data-following', 'false');
	const pausedTo = await attr(chart, 'data-to');
	const pausedLast = await attr(chart, 'data-last-x');
	await expect.poll(() => attr(chart, 'data-last-x'), { timeout: 10_000 }).toBeGreaterThan(pausedLast);
	expect(await attr(chart, 'data-to')).toBe(pausedTo);
	await page.getByTestId('trend-pause').click();
	await expect(chart).toHaveAttribute('data-following', 'true');
	await expect.poll(() => attr(chart, 'data-to'), { timeout: 5_000 }).toBeGreaterThan(pausedTo);
});

test('zoom by drag-select, then out beyond the loaded data: history reloads for the new range; reset returns', async ({ page }) => {
	await login(page);
	const requests = historyRequests(page);
	const chart = await openTrend(page, '5m', [FILLER1_TEMP, FILLER1_SPEED]);
	const firstFrom = Math.min(...requests.map((u) => Number(u.searchParams.get('from'))));
	const from0 = await attr(chart, 'data-from');
	const to0 = await attr(chart, 'data-to');

	// Drag across the middle of the plot.
	const box = (await chart.locator('.u-over').boundingBox())!;
	await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
	await page.mouse.down();
	await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2, { steps: 8 });
	await page.mouse.up();
	await expect(chart).toHaveAttribute('data-following', 'false');
	const zoomedFrom = await attr(chart, 'data-from');
	const zoomedTo = await attr(chart, 'data-to');
	expect(zoomedFrom).toBeGreaterThan(from0);
	expect(zoomedTo - zoomedFrom).toBeLessThan((to0 - from0) * 0.6);
	await expect(page).toHaveURL(/[?&]from=.*&to=/);
	await expect(page.getByTestId('trend-reset-zoom')).toBeEnabled();

	// Out, past the start of what was loaded: a new request for exactly the chart's new range.
	const reload = page.waitForRequest((r) => {
		const u = new URL(r.url());
		return u.pathname === '/api/history' && Number(u.searchParams.get('from')) < firstFrom - 1_000;
	});
	await page.getByTestId('trend-zoom-out').click();
	await page.getByTestId('trend-zoom-out').click();
	await page.getByTestId('trend-zoom-out').click();
	const req = new URL((await reload).url());
	await expect.poll(() => attr(chart, 'data-from')).toBeLessThan(firstFrom);
	expect(Math.abs(Number(req.searchParams.get('from')) - (await attr(chart, 'data-from')))).toBeLessThanOrEqual(1);
	expect(Math.abs(Number(req.searchParams.get('to')) - (await attr(chart, 'data-to')))).toBeLessThanOrEqual(1);
	// Asked at the chart's width in pixels.
	expect(Math.abs(Number(req.searchParams.get('points')) - Math.round(box.width))).toBeLessThanOrEqual(2);
	const shared = new URL(page.url());
	expect(Date.parse(shared.searchParams.get('from')!)).toBe(await attr(chart, 'data-from'));

	// Reset zoom: back to the live five minutes, in the URL too.
	await page.getByTestId('trend-reset-zoom').click();
	await expect(chart).toHaveAttribute('data-following', 'true');
	await expect(page).toHaveURL(/range=5m/);
	await expect(page).not.toHaveURL(/from=/);

	// A shared link with from/to opens that period.
	await page.goto(shared.toString());
	await expect(chart).toHaveAttribute('data-ready', 'true');
	await expect(chart).toHaveAttribute('data-following', 'false');
	expect(await attr(chart, 'data-from')).toBe(Date.parse(shared.searchParams.get('from')!));
});

test('pens are chosen in the picker and the view is exported as CSV with plain decimals', async ({ page }) => {
	await login(page);
	await page.goto('/trends');
	await expect(page.getByTestId('trend-none')).toBeVisible();
	await page.getByTestId('trend-add-pen').click();
	const picker = page.getByTestId('pen-picker');
	await expect(picker).toBeVisible();
	await picker.getByTestId(`pick-${FILLER1_TEMP}`).click();
	await expect(picker.getByTestId(`pick-${FILLER1_TEMP}`)).toHaveAttribute('aria-pressed', 'true');
	await picker.getByTestId('pen-picker-done').click();
	await expect(picker).toBeHidden();
	await expect(page).toHaveURL(new RegExp(`pen=${encodeURIComponent(FILLER1_TEMP)}`));
	const chart = page.getByTestId('trend-chart');
	await expect.poll(() => attr(chart, 'data-points'), { timeout: 10_000 }).toBeGreaterThan(0);

	const download = page.waitForEvent('download');
	await page.getByTestId('trend-csv').click();
	const file = await download;
	expect(file.suggestedFilename()).toMatch(/^trend-.*\.csv$/);
	const text = await (await file.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
	const [head, first] = text.split('\r\n');
	expect(head).toContain('Line 1 · Filler · Product temperature (°C)');
	expect(first).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,(-?\d+(\.\d+)?)?$/);

	// Removing the last pen empties the chart (and the URL).
	await page.getByTestId(`remove-pen-${FILLER1_TEMP}`).click();
	await expect(page.getByTestId('trend-none')).toBeVisible();
	await expect(page).not.toHaveURL(/pen=/);
});

test('Nederlands: Dutch dates and a decimal comma in the legend', async ({ page }) => {
	try {
		await login(page);
		await switchLanguage(page, 'nl');
		const chart = await openTrend(page, '1h');
		await expect(page.getByTestId('range-1h')).toHaveText('1 uur');
		await expect(page.getByTestId('trend-period')).toHaveText(/\d{1,2} (jan|feb|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec) \d\d:\d\d/);
		await expect(page.getByTestId(`legend-value-${FILLER1_TEMP}`)).toHaveText(/^\d+,\d\s°C$/);
		await expect(page.getByTestId(`legend-${FILLER1_TEMP}`)).toContainText('Producttemperatuur');
		await expect(page.getByTestId('trend-cursor')).toHaveText('Actuele waarden');
		// The cursor reads the values at a time, in Dutch.
		const box = (await chart.locator('.u-over').boundingBox())!;
		await page.mouse.move(box.x + box.width - 5, box.y + box.height / 2);
		await expect(page.getByTestId('trend-cursor')).toHaveText(/\d{1,2} (jan|feb|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec) \d\d:\d\d:\d\d/);
		await expect(page.getByTestId(`legend-value-${FILLER1_TEMP}`)).toHaveText(/^\d+,\d\s°C$/);
		await switchLanguage(page, 'en');
		await expect(page.getByTestId('range-1h')).toHaveText('1 hour');
	} finally {
		await resetLanguage(page);
	}
});

test('tapping a process value on the machine screen opens its last hour, with a way into Trends', async ({ page }) => {
	await login(page);
	await page.goto('/operator/line1/filler');
	await waitForLive(page);
	await page.getByTestId(`trend-open-${FILLER1_TEMP}`).click();
	const popup = page.getByTestId('trend-popup');
	await expect(popup).toBeVisible();
	await expect(popup.getByRole('heading')).toHaveText('Product temperature: last hour');
	const chart = popup.getByTestId('trend-popup-chart');
	await expect(chart).toHaveAttribute('data-ready', 'true');
	await expect.poll(() => attr(chart, 'data-points'), { timeout: 10_000 }).toBeGreaterThan(0);
	expect((await attr(chart, 'data-to')) - (await attr(chart, 'data-from'))).toBeCloseTo(3_600_000, -3);
	await expect(chart.getByTestId(`legend-value-${FILLER1_TEMP}`)).toHaveText(/^\d+\.\d\s°C$/);

	// Escape closes it and focus returns to the value.
	await page.keyboard.press('Escape');
	await expect(popup).toBeHidden();
	await expect(page.getByTestId(`trend-open-${FILLER1_TEMP}`)).toBeFocused();

	await page.getByTestId(`trend-open-${FILLER1_TEMP}`).click();
	await popup.getByTestId('trend-popup-open').click();
	await expect(page).toHaveURL(/\/trends\?pen=.*&range=1h$/);
	await expect(page.getByTestId(`legend-${FILLER1_TEMP}`)).toBeVisible();
	await expect(page.getByTestId('range-1h')).toHaveAttribute('aria-pressed', 'true');
});

test.describe('layout', () => {
	for (const size of [
		{ width: 1024, height: 768 },
		{ width: 390, height: 844 }
	]) {
		test(`trends fit ${size.width}×${size.height} without horizontal scrolling; touch targets ≥ 44 px`, async ({ page }) => {
			await page.setViewportSize(size);
			await login(page);
			await openTrend(page, '1h', [FILLER1_TEMP, FILLER1_SPEED, `${LINE1}/_kpi/oee`]);
			await page.getByTestId('range-custom').click();
			await expect(page.getByTestId('trend-custom')).toBeVisible();
			await expectFitsAndTouchable(page);
		});
	}
});
