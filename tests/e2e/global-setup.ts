/**
 * Starts the demo stack (HMI + PLC simulator) on free ports with a fresh data folder, waits until it is
 * healthy, and hands its URL to the tests through E2E_BASE_URL, and the URL of its embedded MQTT broker
 * (for fault injection into the simulator) through E2E_MQTT_URL. The returned function stops it again.
 * Set E2E_BASE_URL (and E2E_MQTT_URL) to test a stack that is already running instead.
 */
import { join } from 'node:path';
import { ROOT, startDemoStack } from '../../scripts/demo-stack';
import { shippedPlantJson, writePlantModel } from '../../src/lib/server/testing/plant-models';

/**
 * The shipped plant model without its shift breaks. The screens count a shift from when the HMI started:
 * started during a break, nothing is planned yet and OEE is rightly "—" until the break ends, so the live
 * KPI tests would pass or fail by the time of day the suite runs. Breaks are covered by the OEE unit tests.
 */
function plantWithoutBreaks(): string {
	const model = shippedPlantJson() as { oee: { shifts: { breaks?: unknown[] }[] } };
	for (const shift of model.oee.shifts) shift.breaks = [];
	return writePlantModel(model);
}

export default async function globalSetup(): Promise<(() => Promise<void>) | void> {
	if (process.env.E2E_BASE_URL) return; // testing a stack that is already running (E2E_MQTT_URL is the caller's)
	const stack = await startDemoStack({ logFile: join(ROOT, 'test-results', 'stack.log'), env: { SIM_SEED: '7', PLANT_MODEL: plantWithoutBreaks() } });
	process.env.E2E_BASE_URL = stack.baseURL;
	process.env.E2E_MQTT_URL = stack.mqttUrl;
	return stack.stop;
}
