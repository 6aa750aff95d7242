import { describe, expect, test } from 'vitest';
import { ConfigError, readConfig } from './config';

describe('readConfig', () => {
	test('defaults: embedded broker on 1884, this machine\'s own origins only, limits in bytes', () => {
		const config = readConfig({});
		expect(config.port).toBe(3000);
		expect(config.mqtt).toMatchObject({ url: undefined, embeddedPort: 1884, embeddedHost: '127.0.0.1', maxPayloadBytes: 65536 });
		expect(config.allowedOrigins).toEqual(['http://localhost:3000', 'http://127.0.0.1:3000']);
		expect(config.ws).toEqual({ maxPayloadBytes: 65536, maxBufferedBytes: 1048576, maxSubscriptions: 64, batchMs: 16, heartbeatMs: 15000 });
		expect(config.demo).toBe(false);
	});

	test('ORIGIN and ALLOWED_ORIGINS replace the defaults and are compared exactly', () => {
		const config = readConfig({ ORIGIN: 'https://hmi.plant.example/', ALLOWED_ORIGINS: 'http://tablet-3:3000, http://10.0.0.5:3000' });
		expect(config.allowedOrigins.sort()).toEqual(['http://10.0.0.5:3000', 'http://tablet-3:3000', 'https://hmi.plant.example']);
	});

	test('every bad variable is named in one error', () => {
		const read = () => readConfig({ PORT: 'eighty', MQTT_URL: 'http://broker', SESSION_SECRET: 'short', DEMO: 'maybe' });
		expect(read).toThrow(ConfigError);
		expect(read).toThrow(/PORT:/);
		expect(read).toThrow(/MQTT_URL: must start with mqtt:\/\//);
		expect(read).toThrow(/SESSION_SECRET:/);
		expect(read).toThrow(/DEMO:/);
	});

});
