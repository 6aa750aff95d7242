/**
 * Fault injection into the PLC simulator over MQTT (line 2 takes its commands as
 * `cmd/<machine path>/<command>` on the stack's broker, E2E_MQTT_URL).
 */
import { connectAsync, type MqttClient } from 'mqtt';
import { expect, type APIRequestContext } from '@playwright/test';

/** Used when the tests run against a stack started elsewhere without E2E_MQTT_URL: the demo's default port. */
const DEFAULT_MQTT_URL = 'mqtt://127.0.0.1:1884';

export const mqttUrl = (): string => process.env.E2E_MQTT_URL || DEFAULT_MQTT_URL;

export class FaultInjector {
	private constructor(private readonly client: MqttClient) {}

	static async connect(): Promise<FaultInjector> {
		return new FaultInjector(await connectAsync(mqttUrl(), { clientId: `e2e-${process.pid}-${Date.now()}`, reconnectPeriod: 0 }));
	}

	/**
	 * Puts a line 2 machine into a fault that lasts until `clear`.
	 * @param machinePath e.g. `acme/utrecht/packaging/line2/capper`
	 * @param reasonCode a fault reason (2xx)
	 */
	async inject(machinePath: string, reasonCode: number): Promise<void> {
		await this.client.publishAsync(`cmd/${machinePath}/inject_fault`, JSON.stringify({ reason_code: reasonCode }), { qos: 1 });
	}

	async clear(machinePath: string): Promise<void> {
		await this.client.publishAsync(`cmd/${machinePath}/clear_fault`, '{}', { qos: 1 });
	}

	async close(): Promise<void> {
		await this.client.endAsync();
	}
}

type AlarmSummary = { id: string; state: string };

/** The alarm's current record from the API, as the signed-in user of `request` sees it. */
export async function alarmRecord(request: APIRequestContext, id: string): Promise<AlarmSummary | undefined> {
	const res = await request.get('/api/alarms');
	if (!res.ok()) return undefined;
	return ((await res.json()) as AlarmSummary[]).find((a) => a.id === id);
}

/**
 * Waits until the alarm is not active: the simulator also makes random faults, and an injection into a
 * machine already in one would not start a new alarm.
 */
export async function waitUntilInactive(request: APIRequestContext, id: string, timeout = 90_000): Promise<void> {
	await expect
		.poll(async () => (await alarmRecord(request, id))?.state, { timeout, intervals: [500, 1000] })
		.toMatch(/^(normal|rtn_unack)$/);
}
