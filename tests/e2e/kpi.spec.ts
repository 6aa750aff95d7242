import { expect, test, type Locator, type Page } from '@playwright/test';
import { LINE1, LINE2, login, switchLanguage, controlLiveSocket, expectFitsAndTouchable } from './helpers';

// The managers' KPI dashboard on the real stack: the OEE service's live `_kpi` tags per line, the shift
// history from /api/oee, the machine drill-down in the URL, in English and Dutch, on a tablet, a phone
// and a 1920×1080 wallboard.

const LINES = [
	{ id: 'line1', path: LINE1 },
	{ id: 'line2', path: LINE2 }
];
const FIGURES = ['oee', 'availability', 'performance', 'quality'] as const;
const ENGLISH_PERCENT = /^\d{1,3}\.\d%$/;
const DUTCH_PERCENT = /^\d{1,3},\d\s?%$/;

const panelOf = (page: Page, lineId: string) => page.getByTestId(`kpi-line-${lineId}`);

/** Stores the user's language back as English, so a failed Dutch run does not carry over to other tests. */
async function resetLanguage(page: Page): Promise<void> {
	await page.request.post('/api/me/lang', { data: { lang: 'en' } }).catch(() => undefined);
}

/** Signs in as a manager and opens the KPI screen from the navigation; waits until every source is connected. */
async function openKpi(page: Page, query = ''): Promise<void> {
	await login(page, 'manager');
	if (query) await page.goto(`/kpi${query}`);
	else await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'KPI' }).click();
	await expect(page).toHaveURL(/\/kpi/);
	const connection = page.getByTestId('connection');
	await expect(connection).toHaveAttribute('data-status', 'online');
	await expect(connection).toHaveAttribute('data-sources-down', '0');
}

/** Waits until the panel shows trusted live figures of the current shift. */
async function waitForFigures(panel: Locator, percent = ENGLISH_PERCENT): Promise<void> {
	await expect(panel).toHaveAttribute('data-quality', 'good', { timeout: 15_000 });
	await expect(panel.getByTestId('kpi-oee-value')).toHaveText(percent);
}

test('a manager sees OEE, A, P and Q per line, and they follow the live shift without a reload', async ({ page }) => {
	let loads = 0;
	page.on('load', () => loads++);
	await openKpi(page);
	const loadsBefore = loads;

	for (const line of LINES) {
		const panel = panelOf(page, line.id);
		await waitForFigures(panel);
		for (const f of ['availability', 'performance', 'quality'] as const) {
			await expect(panel.getByTestId(`kpi-${f}-value`)).toHaveText(ENGLISH_PERCENT);
		}
		await expect(panel.getByRole('heading', { level: 2 })).toHaveText(line.id === 'line1' ? 'Line 1' : 'Line 2');
		// The current shift by name and times, its counts and run time.
		await expect(panel.getByTestId('kpi-shift')).toHaveText(/^(Early|Late|Night) · \d\d:\d\d–\d\d:\d\d$/);
		await expect(panel.getByTestId('kpi-total')).toHaveText(/^\d[\d,]*$/);
		await expect(panel.getByTestId('kpi-runtime')).toContainText('planned');
		// The running work order with its progress; the finish is a time or a dash until the rate is known.
		const order = panel.getByTestId('kpi-order');
		await expect(order.getByTestId('kpi-order-number')).toHaveText(/\S/);
		await expect(order.getByTestId('kpi-order-progress')).toHaveText(/^\d[\d,]* of \d[\d,]*$/);
		await expect(order.getByTestId('kpi-order-finish')).toHaveText(/^(\d\d:\d\d|\p{L}+ \d\d:\d\d|—)$/u);
		// The current shift is the last bar of the history, its value as text (not only on hover).
		const current = panel.getByTestId('kpi-history-bar').last();
		await expect(current).toHaveAttribute('data-current', 'true');
		await expect(current.getByTestId('kpi-history-value')).toHaveText(ENGLISH_PERCENT);
		await expect(current).toContainText('now');
		// Downtime Pareto (or that there was none) and all six loss buckets.
		await expect(panel.getByTestId('kpi-pareto').or(panel.getByTestId('kpi-pareto-empty'))).toBeVisible();
		await expect(panel.getByTestId('kpi-losses').locator('dd')).toHaveCount(6);
	}

	// The `_kpi/shift` tags are published every 2 s: counts, run time and figures move on screen.
	const watched = LINES.flatMap((line) =>
		['kpi-total', 'kpi-good', 'kpi-runtime', ...FIGURES.map((f) => `kpi-${f}-value`)].map((id) => panelOf(page, line.id).getByTestId(id))
	);
	const read = async () => (await Promise.all(watched.map((l) => l.textContent()))).join('|');
	const first = await read();
	await expect.poll(read, { timeout: 10_000, intervals: [500] }).not.toBe(first);
	expect(loads).toBe(loadsBefore);

	// Read only: no buttons on this screen at all.
	await expect(page.getByRole('main').getByRole('button')).toHaveCount(0);
});

test('tapping a line shows its machines with their own figures; the view is in the URL', async ({ page }) => {
	await openKpi(page);
	const drill = page.getByTestId('kpi-drill-line2');
	await expect(drill).toHaveAttribute('aria-expanded', 'false');
	await drill.click();
	await expect(page).toHaveURL(/\/kpi\?line=line2$/);
	await expect(drill).toHaveAttribute('aria-expanded', 'true');

	const machines = page.getByTestId('kpi-machines-line2');
	await expect(machines).toBeVisible();
	await expect(page.getByTestId('kpi-machines-line1')).toHaveCount(0);
	for (const id of ['filler', 'capper', 'labeler']) {
		const card = machines.getByTestId(`kpi-machine-${LINE2}/${id}`);
		await expect(card.getByTestId('kpi-oee-value')).toHaveText(ENGLISH_PERCENT);
		for (const f of ['availability', 'performance', 'quality']) await expect(card.getByTestId(`kpi-${f}-value`)).toHaveText(ENGLISH_PERCENT);
		await expect(card.getByTestId('kpi-good')).toHaveText(/^\d[\d,]*$/);
		await expect(card.getByTestId('kpi-pareto').or(card.getByTestId('kpi-pareto-empty'))).toBeVisible();
	}
	// The line's figures are its constraint machine's, and the card says which one that is.
	await expect(machines.getByTestId(`kpi-machine-${LINE2}/filler`).getByTestId('kpi-constraint')).toHaveText('Constraint');
	await expect(machines.getByTestId('kpi-constraint')).toHaveCount(1);

	// A shared link opens the same view.
	await page.reload();
	await expect(page.getByTestId('kpi-machines-line2')).toBeVisible();

	await page.getByTestId('kpi-drill-line2').click();
	await expect(page).toHaveURL(/\/kpi$/);
	await expect(page.getByTestId('kpi-machines-line2')).toHaveCount(0);
});

test('Nederlands: Dutch labels and percentages with a decimal comma', async ({ page }) => {
	try {
		await openKpi(page);
		await switchLanguage(page, 'nl');
		const panel = panelOf(page, 'line1');
		await waitForFigures(panel, DUTCH_PERCENT);
		await expect(panel.getByRole('heading', { name: 'Lijn 1' })).toBeVisible();
		for (const label of ['Beschikbaarheid', 'Prestatie', 'Kwaliteit', 'Goed', 'Afkeur', 'Werkorder', 'OEE over recente ploegen', 'Verliezen deze ploeg']) {
			await expect(panel).toContainText(label);
		}
		await expect(panel.getByTestId('kpi-shift')).toHaveText(/^(Vroeg|Laat|Nacht) · \d\d:\d\d–\d\d:\d\d$/);
		for (const f of ['availability', 'performance', 'quality']) await expect(panel.getByTestId(`kpi-${f}-value`)).toHaveText(DUTCH_PERCENT);
		await expect(panel.getByTestId('kpi-runtime')).toContainText('gepland');
		await expect(panel.getByTestId('kpi-drill-line1')).toHaveText('Machines');

		// The server renders Dutch too (a wallboard that reloads stays Dutch).
		await page.reload();
		await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
		await expect(panelOf(page, 'line2')).toContainText('Beschikbaarheid');

		await switchLanguage(page, 'en');
		await expect(panel).toContainText('Availability');
		await expect(panel.getByTestId('kpi-oee-value')).toHaveText(ENGLISH_PERCENT);
	} finally {
		await resetLanguage(page);
	}
});

test('a dropped socket marks the figures as not trusted, keeps them readable, and recovers', async ({ page }) => {
	const socket = await controlLiveSocket(page);
	await openKpi(page);
	const panel = panelOf(page, 'line1');
	await waitForFigures(panel);
	await expect(panel.getByTestId('kpi-stale')).toHaveCount(0);

	await socket.serverAway();
	await expect(panel).toHaveAttribute('data-quality', 'stale');
	await expect(panel.getByTestId('kpi-stale').first()).toHaveText('No connection');
	await expect(panel.getByTestId('kpi-oee-value')).toHaveText(ENGLISH_PERCENT);

	socket.serverBack();
	await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'online', { timeout: 20_000 });
	await expect(panel).toHaveAttribute('data-quality', 'good');
	await expect(panel.getByTestId('kpi-stale')).toHaveCount(0);
});

test('wallboard 1920×1080: both line panels side by side, whole, without scrolling', async ({ page }) => {
	await page.setViewportSize({ width: 1920, height: 1080 });
	await openKpi(page);
	const boxes: ({ x: number; y: number; width: number; height: number } | null)[] = [];
	for (const line of LINES) {
		const panel = panelOf(page, line.id);
		await waitForFigures(panel);
		await expect(panel.getByTestId('kpi-history-bar').last()).toBeVisible();
		boxes.push(await panel.boundingBox());
	}
	const [a, b] = boxes;
	expect(a && b).toBeTruthy();
	// Side by side: same row, the second to the right of the first.
	expect(Math.abs(a!.y - b!.y)).toBeLessThan(2);
	expect(b!.x).toBeGreaterThanOrEqual(a!.x + a!.width);
	// Whole panels within the viewport, nothing scrolled, nothing clipped inside them.
	const fit = await page.evaluate(() => ({
		scrollY: window.scrollY,
		innerHeight: window.innerHeight,
		panels: [...document.querySelectorAll<HTMLElement>('[data-testid^="kpi-line-"]')].map((el) => ({
			bottom: el.getBoundingClientRect().bottom,
			clipped: el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1
		}))
	}));
	expect(fit.scrollY).toBe(0);
	for (const p of fit.panels) {
		expect(p.bottom).toBeLessThanOrEqual(fit.innerHeight);
		expect(p.clipped).toBe(false);
	}
});

test.describe('layout', () => {
	for (const size of [
		{ width: 1024, height: 768 },
		{ width: 1366, height: 1024 },
		{ width: 390, height: 844 }
	]) {
		test(`/kpi with a line open fits ${size.width}×${size.height} without horizontal scrolling; touch targets ≥ 44 px`, async ({ page }) => {
			await page.setViewportSize(size);
			await openKpi(page, '?line=line1');
			await waitForFigures(panelOf(page, 'line1'));
			await expect(page.getByTestId('kpi-machines-line1')).toBeVisible();
			await expectFitsAndTouchable(page);
		});
	}
});
