import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

/**
 * Browser journeys against the real stack (HMI + PLC simulator), started by tests/e2e/global-setup.ts
 * from the existing build (`npm run test:e2e` builds first). Set E2E_BASE_URL to test a stack that is
 * already running instead, and E2E_MQTT_URL to its broker (the alarm journeys inject faults through it).
 *
 * Browser: Debian's chromium when present (or CHROMIUM_PATH), Playwright's own browser otherwise.
 */
const executablePath = process.env.CHROMIUM_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export default defineConfig({
	testDir: 'tests/e2e',
	testMatch: '**/*.spec.ts',
	globalSetup: './tests/e2e/global-setup.ts',
	// One stack, one user database: run the journeys one after another.
	workers: 1,
	fullyParallel: false,
	retries: 0,
	forbidOnly: !!process.env.CI,
	timeout: 60_000,
	expect: { timeout: 10_000 },
	outputDir: 'test-results',
	reporter: [['list'], ['html', { outputFolder: 'playwright-report', open: 'never' }]],
	use: {
		// Filled in by global-setup once the stack answers /healthz (workers read this config afterwards).
		baseURL: process.env.E2E_BASE_URL,
		screenshot: 'only-on-failure',
		trace: 'retain-on-failure',
		locale: 'en-GB',
		// Tablet first.
		viewport: { width: 1024, height: 768 },
		hasTouch: true
	},
	projects: [
		{
			name: 'chromium',
			use: {
				browserName: 'chromium',
				launchOptions: {
					...(executablePath ? { executablePath } : {}),
					args: [
						'--no-sandbox',
						'--disable-gpu',
						'--disable-background-networking',
						'--disable-component-update',
						'--disable-sync',
						'--no-first-run',
						'--disable-quic'
					]
				}
			}
		}
	]
});
