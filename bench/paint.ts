// Paint latency in a real Chromium: from a source change (an MQTT publish with timestamp_ms, on line 2's
// broker) to the new value painted on the operator screen. The page notes each change of the value's
// element and the time after the next frame (requestAnimationFrame, then a task: the frame has been
// produced); the source's clock and the page's are the same machine's wall clock.
import { chromium } from '@playwright/test';
import { existsSync } from 'node:fs';
import mqtt from 'mqtt';
import type { Figure } from './figure';
import { percentile, sleep } from './stack';

const PATH = 'acme/utrecht/packaging/line2/filler/product_temperature';
const SAMPLES = 150;
const SPACING_MS = 200;
/** Out of the simulator's range (4–10 °C), so the bench's values can't be mistaken for its own. */
const FIRST_VALUE = 200;

declare global {
	interface Window {
		__paints: [number, string][];
	}
}

export async function paintBench(baseURL: string, mqttUrl: string): Promise<Figure[]> {
	const executablePath = process.env.CHROMIUM_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
	const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
	const client = await mqtt.connectAsync(mqttUrl, { reconnectPeriod: 0 });
	(client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
	try {
		const page = await browser.newPage({ viewport: { width: 1024, height: 768 }, baseURL });
		await page.goto('/login');
		await page.locator('input[name="username"]').fill('operator');
		await page.locator('input[name="password"]').fill('operator');
		await page.locator('form button[type="submit"]').click();
		await page.waitForURL(/\/operator$/);
		const value = page.getByTestId(`value-${PATH}`);
		await value.waitFor();
		await page.waitForFunction((sel) => /\d/.test(document.querySelector(sel)?.textContent ?? ''), `[data-testid="value-${PATH}"]`);
		await value.evaluate((el) => {
			window.__paints = [];
			new MutationObserver(() => {
				const text = el.textContent ?? '';
				requestAnimationFrame(() => setTimeout(() => window.__paints.push([performance.timeOrigin + performance.now(), text]), 0));
			}).observe(el, { subtree: true, childList: true, characterData: true });
		});

		const published: [number, number][] = [];
		for (let i = 0; i < SAMPLES; i++) {
			const v = FIRST_VALUE + i;
			const ts = Date.now();
			client.publish(PATH, JSON.stringify({ timestamp_ms: ts, value: v }));
			published.push([v, ts]);
			await sleep(SPACING_MS);
		}
		await sleep(1000);
		const paints = await page.evaluate(() => window.__paints);
		const latencies: number[] = [];
		for (const [v, ts] of published) {
			const shown = new RegExp(`(^|\\D)${v}(\\D|$)`);
			const paint = paints.find(([at, text]) => at >= ts && shown.test(text));
			if (paint) latencies.push(paint[0] - ts);
		}
		latencies.sort((a, b) => a - b);
		const p99 = Math.round(percentile(latencies, 99) * 10) / 10;
		return [
			{
				name: 'paint latency p99 (Chromium)',
				value: p99,
				unit: 'ms',
				goal: '≤ 50',
				met: p99 <= 50,
				note: `source publish → value painted on the operator screen; ${latencies.length}/${SAMPLES} changes seen painted (the rest overwritten by the simulator first); p50 ${Math.round(percentile(latencies, 50))} ms`
			}
		];
	} finally {
		await client.endAsync();
		await browser.close();
	}
}
