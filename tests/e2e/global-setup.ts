/**
 * Starts the demo stack (HMI + PLC simulator) on free ports with a fresh data folder, waits until it is
 * healthy, and hands its URL to the tests through E2E_BASE_URL, and the URL of its embedded MQTT broker
 * (for fault injection into the simulator) through E2E_MQTT_URL. The returned function stops it again.
 * Set E2E_BASE_URL (and E2E_MQTT_URL) to test a stack that is already running instead.
 */
import { join } from 'node:path';
import { ROOT, startDemoStack } from '../../scripts/demo-stack';

export default async function globalSetup(): Promise<(() => Promise<void>) | void> {
	if (process.env.E2E_BASE_URL) return; // testing a stack that is already running (E2E_MQTT_URL is the caller's)
	const stack = await startDemoStack({ logFile: join(ROOT, 'test-results', 'stack.log'), env: { SIM_SEED: '7' } });
	process.env.E2E_BASE_URL = stack.baseURL;
	process.env.E2E_MQTT_URL = stack.mqttUrl;
	return stack.stop;
}
