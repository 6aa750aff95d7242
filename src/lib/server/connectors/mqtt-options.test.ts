import { describe, expect, test } from 'vitest';
import { hmiMqttOptions, MQTT_BACKOFF } from './mqtt-options';

describe('hmiMqttOptions', () => {
	test('a fresh client id per call under the prefix; credentials passed through; the shared connection settings', () => {
		const a = hmiMqttOptions({ clientIdPrefix: 'acme-hmi-uns-', username: 'u', password: 'p' });
		const b = hmiMqttOptions({ clientIdPrefix: 'acme-hmi-uns-' });
		expect(a.clientId).toMatch(/^acme-hmi-uns-[0-9a-f]{8}$/);
		expect(b.clientId).not.toBe(a.clientId);
		expect(a).toMatchObject({ username: 'u', password: 'p', reconnectPeriod: MQTT_BACKOFF.initialMs, connectTimeout: 5000, clean: true, resubscribe: true });
		expect(b).toMatchObject({ username: undefined, password: undefined });
	});
});
