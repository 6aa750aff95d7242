import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectAsync } from 'mqtt';
import { expect, test } from '@playwright/test';
import { freePort, startServerProcess, type ServerProcess } from './server-process';

// A wallboard of a bigger plant: six lines of six machines must fit one 1920×1080 screen, in both
// languages. The shipped plant has two lines of three, so this runs its own server on a plant model of
// six MQTT lines. Line 3's second capper is put in fault through the broker (with line 3's own account),
// so one line carries an alarm; every other value waits for data.
const LINES = 6;
const FAULTED = 'acme/utrecht/packaging/line3/capper_b';
let server: ServerProcess | undefined;
let base: string;
let mqttPort: number;
let modelDir: string;

test.describe.configure({ mode: 'serial' });
test.use({ baseURL: undefined, viewport: { width: 1920, height: 1080 } });

function sixBySix(): unknown {
	const plant = JSON.parse(fs.readFileSync('config/plant.json', 'utf8'));
	const template = plant.lines.find((l: { source: { kind: string } }) => l.source.kind === 'mqtt');
	// Setpoints name their own line's paths and are not on the overview: the copies have none.
	const machines = template.machines.map((m: { id: string }) => ({ ...m, setpoints: [] }));
	const extra = machines.map((m: { id: string }) => ({ ...m, id: `${m.id}_b` }));
	plant.lines = Array.from({ length: LINES }, (_, i) => ({
		...template,
		id: `line${i + 1}`,
		label: { en: `Line ${i + 1}`, nl: `Lijn ${i + 1}` },
		machines: [...machines, ...extra]
	}));
	return plant;
}

test.beforeAll(async () => {
	test.skip(!fs.existsSync('build/handler.js'), 'no local build (testing a stack elsewhere)');
	modelDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hmi-plant-'));
	const model = path.join(modelDir, 'plant.json');
	fs.writeFileSync(model, JSON.stringify(sixBySix()));
	const port = await freePort();
	mqttPort = await freePort();
	base = `http://127.0.0.1:${port}`;
	server = await startServerProcess('dense', { PORT: String(port), ORIGIN: base, PLANT_MODEL: model, MQTT_PORT: String(mqttPort) });
	const { accounts } = JSON.parse(fs.readFileSync(path.join(server.dataDir, 'mqtt-accounts.json'), 'utf8'));
	const line3 = await connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { reconnectPeriod: 0, username: 'line-line3', password: accounts['line-line3'].password });
	try {
		await line3.publishAsync(`${FAULTED}/state`, JSON.stringify({ timestamp_ms: Date.now(), value: 'fault' }), { retain: true });
	} finally {
		await line3.endAsync();
	}
});

test.afterAll(async () => {
	await server?.stop();
	if (modelDir) fs.rmSync(modelDir, { recursive: true, force: true });
});

for (const lang of ['en', 'nl'] as const) {
	test(`6 lines × 6 machines fit 1920×1080 without scrolling (${lang})`, async ({ page }) => {
		await page.goto(`${base}/login`);
		await page.locator('input[name="username"]').fill('operator');
		await page.locator('input[name="password"]').fill('operator');
		await page.locator('form button[type="submit"]').click();
		await expect(page).toHaveURL(/\/operator$/);
		// The signed-in user's language is the one kept on the server (this server's own demo user).
		expect((await page.request.post(`${base}/api/me/lang`, { data: { lang }, headers: { origin: base } })).ok()).toBe(true);
		await page.reload();
		await expect(page.locator('html')).toHaveAttribute('lang', lang);
		await expect(page.getByTestId('overview')).toBeVisible();
		const tiles = page.locator('[data-testid^="machine-acme/"]');
		await expect(tiles).toHaveCount(LINES * 6);
		await expect(page.getByTestId(`machine-${FAULTED}`)).toHaveAttribute('data-state', 'fault');
		await expect(page.getByTestId('line-alarm-line3')).toHaveAttribute('data-priority', 'high');
		const size = await page.evaluate(() => ({ scroll: document.scrollingElement!.scrollHeight, inner: window.innerHeight, width: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));
		console.log(`[measure] 6×6 plant at 1920×1080 (${lang}): page ${size.scroll} px tall, ${size.width} px wide`);
		await page.screenshot({ path: `test-results/overview-dense-${lang}-1920x1080.png` });
		expect(size.scroll).toBeLessThanOrEqual(size.inner);
		expect(size.width).toBeLessThanOrEqual(size.innerWidth);
		for (const tile of await tiles.all()) {
			const box = (await tile.boundingBox())!;
			expect(box.y + box.height).toBeLessThanOrEqual(1080);
		}
		// The faulted machine comes first in its line.
		await expect(page.getByTestId('line-line3').locator('[data-testid^="machine-acme/"]').first()).toHaveAttribute('data-testid', `machine-${FAULTED}`);
	});
}
