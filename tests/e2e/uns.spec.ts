import mqtt from 'mqtt';
import { expect, test, type Page } from '@playwright/test';
import { expectFitsAndTouchable, login } from './helpers';
import { encodePayload } from '../../src/lib/server/domain/sparkplug/codec';

/** A topic of its own per run, outside the plant's enterprise: the browser must show foreign namespaces too. */
const RUN = Date.now().toString(36);
const BASE = `e2e${RUN}/site/area/line/cell`;
const TOPIC = `${BASE}/uns_probe`;

async function publish(topic: string, payload: string | Buffer, retain = false): Promise<void> {
	const url = process.env.E2E_MQTT_URL;
	if (!url) throw new Error('E2E_MQTT_URL is not set (global-setup starts the stack)');
	const client = await mqtt.connectAsync(url);
	try {
		await client.publishAsync(topic, payload, { retain });
	} finally {
		await client.endAsync();
	}
}

const row = (page: Page, path: string) => page.locator(`[data-testid="uns-row"][data-path="${path}"]`);

async function openUns(page: Page, user: string): Promise<void> {
	await login(page, user);
	await page.getByRole('link', { name: /namespace|naamruimte/i }).click();
	await expect(page).toHaveURL(/\/uns$/);
	await expect(page.getByTestId('uns-tree')).toBeVisible();
}

test('a topic published with an MQTT client appears in the tree, search finds it, the detail shows its JSON and last messages', async ({ page }) => {
	await publish(TOPIC, JSON.stringify({ value: 1.5, timestamp_ms: Date.now() }));
	await openUns(page, 'maintenance');

	// Down the tree level by level: each level is opened on the server and arrives as a snapshot.
	const levels = TOPIC.split('/');
	for (let i = 1; i < levels.length; i++) {
		const path = levels.slice(0, i).join('/');
		await row(page, path).getByTestId('uns-toggle').click();
	}
	const probe = row(page, TOPIC);
	await expect(probe).toBeVisible();
	await expect(probe.getByTestId('uns-kind')).toHaveText('JSON');
	await expect(probe.getByTestId('uns-value')).toContainText('"value":1.5');

	// A new message updates the open row (batched by the server).
	await publish(TOPIC, JSON.stringify({ value: 2.5, timestamp_ms: Date.now() }));
	await expect(probe.getByTestId('uns-value')).toContainText('"value":2.5');

	// Paused, the tree stands still; on resume it catches up with a fresh snapshot.
	await page.getByTestId('uns-pause').click();
	await publish(TOPIC, JSON.stringify({ value: 9.5, timestamp_ms: Date.now() }));
	await page.waitForTimeout(1000);
	await expect(probe.getByTestId('uns-value')).toContainText('"value":2.5');
	await page.getByTestId('uns-pause').click();
	await expect(probe.getByTestId('uns-value')).toContainText('"value":9.5');

	// Search by path filters to it.
	await page.getByTestId('uns-search').fill(`e2e${RUN}/site/area/line/cell/uns_pr`);
	const results = page.getByTestId('uns-result');
	await expect(results).toHaveCount(1);
	await expect(results.first()).toHaveText(TOPIC);
	await results.first().click();

	const detail = page.getByTestId('uns-detail');
	await expect(detail.getByTestId('uns-detail-path')).toHaveText(TOPIC);
	await expect(detail.getByTestId('uns-detail-value')).toContainText('"value": 9.5');
	await expect(detail.getByTestId('uns-message')).toHaveCount(3);
	// The newest message first, with what changed since the one before.
	await expect(detail.getByTestId('uns-diff').first()).toContainText('value');
	await publish(TOPIC, JSON.stringify({ value: 3.5, timestamp_ms: Date.now() }));
	await expect(detail.getByTestId('uns-message')).toHaveCount(4);
	await expect(detail.getByTestId('uns-plot')).toBeVisible();
	await expectFitsAndTouchable(page);

	// Not an admin: no publish button anywhere.
	await expect(page.getByTestId('uns-publish')).toHaveCount(0);
	await expect(page.getByTestId('uns-publish-topic')).toHaveCount(0);
});

test('a topic that breaks the UNS payload rules carries a warning badge', async ({ page }) => {
	await publish(`${BASE}/no_timestamp`, JSON.stringify({ value: 1 }));
	await openUns(page, 'manager');
	await page.getByTestId('uns-search').fill(`e2e${RUN}/site/area/line/cell/no_ti`);
	await page.getByTestId('uns-result').first().click();
	const warnings = page.getByTestId('uns-detail-warnings');
	await expect(warnings).toContainText('timestamp_ms');
});

test('an admin publishes with a confirm step, the tree shows it and the audit has it', async ({ page }) => {
	await openUns(page, 'admin');
	const topic = `${BASE}/from_admin`;
	await page.getByTestId('uns-publish').click();
	const dialog = page.getByTestId('uns-publish-dialog');
	await expect(dialog).toBeVisible();
	await dialog.getByTestId('uns-publish-topic-input').fill(topic);
	const payload = JSON.stringify({ value: 7, timestamp_ms: Date.now() });
	await dialog.getByTestId('uns-publish-payload').fill(payload);
	await dialog.getByTestId('uns-publish-send').click();
	await expect(dialog.getByTestId('uns-publish-confirm-text')).toContainText(topic);
	await expectFitsAndTouchable(page);
	await dialog.getByTestId('uns-publish-confirm').click();
	await expect(dialog).toBeHidden();

	await page.getByTestId('uns-search').fill(topic);
	await page.getByTestId('uns-result').first().click();
	await expect(page.getByTestId('uns-detail-value')).toContainText('"value": 7');

	const audit = await page.request.get('/api/admin/audit?action=uns.publish');
	expect(audit.ok()).toBe(true);
	const entries = (await audit.json()) as { user: string; action: string; target: string; newValue: unknown }[];
	expect(entries.find((e) => e.target === topic)).toMatchObject({ user: 'admin', action: 'uns.publish', newValue: payload });
});

test("a Sparkplug metric of the simulator's edge node is shown under its name, and an admin can ask for a rebirth", async ({ page }) => {
	await openUns(page, 'admin');
	const edge = 'spBv1.0/acme-utrecht/utilities';
	const metric = `${edge}/compressor1/Pressure`;
	// The data messages carry aliases only: the tree names them from the births.
	await page.getByTestId('uns-search').fill('utilities/compressor1/');
	const results = page.getByTestId('uns-result');
	await expect(results.filter({ hasText: metric })).toHaveCount(1);
	const names = (await results.allTextContents()).map((p) => p.split('/').pop());
	expect(names.length).toBeGreaterThan(3);
	for (const name of names) expect(name).not.toMatch(/^\d+$/);

	await results.filter({ hasText: metric }).click();
	const detail = page.getByTestId('uns-detail');
	await expect(detail.getByTestId('uns-kind')).toHaveText('Sparkplug');
	await expect(detail.getByTestId('uns-detail-value')).toHaveText(/^\d+(\.\d+)?$/);

	await detail.getByTestId('uns-rebirth').click();
	const dialog = page.getByTestId('uns-rebirth-dialog');
	await expect(dialog).toContainText('acme-utrecht/utilities');
	await dialog.getByTestId('uns-rebirth-confirm').click();
	await expect(dialog).toBeHidden();
	const audit = await page.request.get('/api/admin/audit?action=uns.rebirth');
	const entries = (await audit.json()) as { action: string; target: string }[];
	expect(entries.some((e) => e.target === 'acme-utrecht/utilities')).toBe(true);

	// In the tree, the edge node carries its Sparkplug state.
	await page.getByTestId('uns-detail-close').click();
	await page.getByTestId('uns-search').fill('');
	await expect(page.getByTestId('uns-results')).toHaveCount(0);
	await row(page, 'spBv1.0').getByTestId('uns-toggle').click();
	await row(page, 'spBv1.0/acme-utrecht').getByTestId('uns-toggle').click();
	await expect(row(page, edge).getByTestId('uns-sparkplug')).toHaveText('online');
});

test('a Sparkplug metric whose edge node died stays in the tree with its last value, marked "not current" in words', async ({ page }) => {
	const group = `e2e${RUN}`;
	const edge = `spBv1.0/${group}/edge1`;
	const birth = encodePayload({
		seq: 0,
		timestamp: Date.now(),
		metrics: [
			{ name: 'bdSeq', datatype: 'Int64', value: 4 },
			{ name: 'Temp', alias: 1, datatype: 'Double', value: 21.5 }
		]
	});
	await openUns(page, 'maintenance');
	await publish(`spBv1.0/${group}/NBIRTH/edge1`, Buffer.from(birth));
	await row(page, 'spBv1.0').getByTestId('uns-toggle').click();
	await row(page, `spBv1.0/${group}`).getByTestId('uns-toggle').click();
	await row(page, edge).getByTestId('uns-toggle').click();
	const metric = row(page, `${edge}/Temp`);
	await expect(metric.getByTestId('uns-value')).toHaveText('21.5');
	await expect(metric.getByTestId('uns-stale')).toHaveCount(0);

	await publish(`spBv1.0/${group}/NDEATH/edge1`, Buffer.from(encodePayload({ timestamp: Date.now(), metrics: [{ name: 'bdSeq', datatype: 'Int64', value: 4 }] })));
	await expect(metric.getByTestId('uns-stale')).toHaveText('not current');
	await expect(metric.getByTestId('uns-value')).toHaveText('21.5');
	await expect(row(page, edge).getByTestId('uns-sparkplug')).toHaveText('offline');
});
