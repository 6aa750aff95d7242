// The UNS browser under load: the app as `npm run demo` runs it, with the simulator's load mode publishing
// 100,000 topics at 10,000 messages/s in total. Measures the HMI server process's CPU and memory (from
// /proc: it is another process), the time from navigation to the first tree rows painted in Chromium, and
// frames per second in Chromium over 10 s with the busy loadtest branch expanded. Bounded to about a minute.
import { chromium, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDemoStack } from '../scripts/demo-stack';
import type { Figure } from './figure';
import { sleep } from './stack';

const TOPICS = Number(process.env.BENCH_UNS_TOPICS ?? 100_000);
const RATE = Number(process.env.BENCH_UNS_RATE ?? 10_000);
const FPS_SECONDS = 10;
const CLOCK_TICKS_PER_S = 100;

export async function unsBench(): Promise<Figure[]> {
	const stack = await startDemoStack({
		logFile: path.join(os.tmpdir(), `hmi-bench-uns-${process.pid}.log`),
		env: { SIM_SEED: '7', SIM_LOAD_TOPICS: String(TOPICS), SIM_LOAD_RATE: String(RATE) }
	});
	const executablePath = process.env.CHROMIUM_PATH || (fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
	const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
	try {
		const serverPid = findServerPid(new URL(stack.baseURL).port);
		// Every topic is seen once per TOPICS / RATE seconds: wait for one full round (and the ramp-up).
		await sleep(Math.ceil((TOPICS / RATE) * 1000) + 3000);

		const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, baseURL: stack.baseURL, bypassCSP: true });
		await page.goto('/login');
		await page.locator('input[name="username"]').fill('maintenance');
		await page.locator('input[name="password"]').fill('maintenance');
		await page.locator('form button[type="submit"]').click();
		await page.waitForURL(/\/operator$/);
		await page.addInitScript(`new MutationObserver((_m, observer) => {
			if (!document.querySelector('[data-testid="uns-row"]')) return;
			observer.disconnect();
			// After the next frame: the rows have been painted.
			requestAnimationFrame(() => setTimeout(() => (window.__firstRowAt = performance.now()), 0));
		}).observe(document, { subtree: true, childList: true });`);
		await page.goto('/uns');
		await page.waitForFunction('window.__firstRowAt !== undefined', undefined, { timeout: 30_000 });
		const firstPaintMs = Math.round((await page.evaluate('window.__firstRowAt')) as number);

		// The busy branch: every row below loadtest/site0/area0/line0 changes in every batch.
		for (const p of ['loadtest', 'loadtest/site0', 'loadtest/site0/area0', 'loadtest/site0/area0/line0']) await expand(page, p);
		const rows = await page.locator('[data-testid="uns-row"]').count();

		const cpuBefore = cpuTicks(serverPid);
		const wallBefore = performance.now();
		// As a string: the bench runs under tsx, whose helpers must not end up in page code.
		const frames = (await page.evaluate(`new Promise((resolve) => {
			let n = 0;
			const end = performance.now() + ${FPS_SECONDS * 1000};
			function frame() {
				n++;
				if (performance.now() < end) requestAnimationFrame(frame);
				else resolve(n);
			}
			requestAnimationFrame(frame);
		})`)) as number;
		const cpuPercent = Math.round(((cpuTicks(serverPid) - cpuBefore) / CLOCK_TICKS_PER_S / ((performance.now() - wallBefore) / 1000)) * 100);
		const fps = Math.round((frames / FPS_SECONDS) * 10) / 10;
		const rssMb = Math.round(rssBytes(serverPid) / 1e6);
		const seenRate = await page.locator('[data-testid="uns-row"][data-path="loadtest"] .rate').textContent();
		const load = `${TOPICS.toLocaleString('en-GB')} topics × ${RATE.toLocaleString('en-GB')} msg/s (server saw ${seenRate?.trim()} on loadtest)`;
		return [
			{ name: 'UNS server CPU under load', value: cpuPercent, unit: '% of a core', goal: 'reported', met: true, note: `HMI server process (/proc utime+stime) over ${FPS_SECONDS} s; ${load}` },
			{ name: 'UNS server memory (RSS) under load', value: rssMb, unit: 'MB', goal: 'reported', met: true, note: `HMI server process with the whole tree in memory; ${load}` },
			{ name: 'UNS tree first paint (Chromium)', value: firstPaintMs, unit: 'ms', goal: '≤ 1000', met: firstPaintMs <= 1000, note: `navigation to /uns → first tree rows painted; ${load}` },
			{ name: 'UNS frames per second (Chromium)', value: fps, unit: 'fps', goal: '≥ 30', met: fps >= 30, note: `requestAnimationFrame over ${FPS_SECONDS} s, loadtest/site0/area0/line0 expanded (${rows} rows in the DOM, the list is virtualised); ${load}` }
		];
	} finally {
		await browser.close();
		await stack.stop();
	}
}

async function expand(page: Page, p: string): Promise<void> {
	const row = page.locator(`[data-testid="uns-row"][data-path="${p}"]`);
	await row.waitFor({ timeout: 30_000 });
	await row.getByTestId('uns-toggle').click();
	await page.locator(`[data-testid="uns-row"][data-path^="${p}/"]`).first().waitFor({ timeout: 30_000 });
}

/** The HMI server of the demo stack: the `server.js` process started with this PORT. */
function findServerPid(port: string): number {
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
			if (!cmdline.includes('server.js')) continue;
			const environ = fs.readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
			if (environ.includes(`PORT=${port}`)) return Number(entry);
		} catch {
			// gone, or not ours
		}
	}
	throw new Error(`no server.js process with PORT=${port}`);
}

/** User + system CPU time of a process, in clock ticks (/proc/<pid>/stat fields 14 and 15). */
function cpuTicks(pid: number): number {
	const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return Number(fields[11]) + Number(fields[12]);
}

function rssBytes(pid: number): number {
	const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
	return m ? Number(m[1]) * 1024 : Number.NaN;
}
