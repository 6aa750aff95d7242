import { describe, expect, test } from 'vitest';
import { ConfigError, readConfig } from './config';

describe('readConfig', () => {
	test('defaults: embedded broker on 1884, this machine\'s own origins only, limits in bytes', () => {
		const config = readConfig({});
		expect(config.port).toBe(3000);
		expect(config.mqtt).toMatchObject({ url: undefined, embeddedPort: 1884, embeddedHost: '127.0.0.1', maxPayloadBytes: 65536 });
		expect(config.allowedOrigins).toEqual(['http://localhost:3000', 'http://127.0.0.1:3000']);
		expect(config.ws).toEqual({
			maxPayloadBytes: 65536,
			maxBufferedBytes: 1048576,
			maxSubscriptions: 64,
			batchMs: 16,
			heartbeatMs: 15000,
			maxSocketsPerUser: 32,
			maxStreamsPerUser: 8
		});
		expect(config.allowedHosts).toEqual(['localhost', '127.0.0.1']);
		expect(config.hostHeader).toBe('host');
		expect(config.demo).toBe(false);
	});

	test('ORIGIN and ALLOWED_ORIGINS replace the defaults and are compared exactly', () => {
		const config = readConfig({ ORIGIN: 'https://hmi.plant.example/', ALLOWED_ORIGINS: 'http://tablet-3:3000, http://10.0.0.5:3000' });
		expect(config.allowedOrigins.sort()).toEqual(['http://10.0.0.5:3000', 'http://tablet-3:3000', 'https://hmi.plant.example']);
	});

	test('allowed hosts: the names of the allowed origins plus ALLOWED_HOSTS; HOST_HEADER names the header to read', () => {
		const config = readConfig({ ORIGIN: 'https://HMI.plant.example', ALLOWED_HOSTS: 'hmi-backend, 10.0.0.5,::1', HOST_HEADER: 'X-Forwarded-Host' });
		expect(config.allowedHosts).toEqual(['hmi.plant.example', 'hmi-backend', '10.0.0.5', '[::1]']);
		expect(config.hostHeader).toBe('x-forwarded-host');
	});

	test.each([['hmi.plant:3000'], ['http://hmi.plant'], ['hmi plant']])('ALLOWED_HOSTS %s (not a host name) is refused', (entry) => {
		expect(() => readConfig({ ALLOWED_HOSTS: entry })).toThrow(/ALLOWED_HOSTS.*not a host name/);
	});

	test('an ALLOWED_ORIGINS entry that is not an origin is refused (it could never match)', () => {
		expect(() => readConfig({ ALLOWED_ORIGINS: 'hmi.plant' })).toThrow(/"hmi.plant" is not an origin/);
	});

	test('every bad variable is named in one error', () => {
		const read = () => readConfig({ PORT: 'eighty', MQTT_URL: 'http://broker', SESSION_SECRET: 'short', DEMO: 'maybe' });
		expect(read).toThrow(ConfigError);
		expect(read).toThrow(/PORT:/);
		expect(read).toThrow(/MQTT_URL: must start with mqtt:\/\//);
		expect(read).toThrow(/SESSION_SECRET:/);
		expect(read).toThrow(/DEMO:/);
	});

	test.each([
		[{}, undefined, 'http'],
		[{ TLS_CERT_FILE: '/etc/hmi/cert.pem', TLS_KEY_FILE: '/etc/hmi/key.pem' }, { certFile: '/etc/hmi/cert.pem', keyFile: '/etc/hmi/key.pem' }, 'https']
	])('TLS %o: tls %o, default origins use %s', (env, tls, scheme) => {
		const config = readConfig({ PORT: '8443', ...env });
		expect(config.tls).toEqual(tls);
		expect(config.allowedOrigins).toEqual([`${scheme}://localhost:8443`, `${scheme}://127.0.0.1:8443`]);
	});

	test('a certificate without its key (or the other way round) is refused', () => {
		expect(() => readConfig({ TLS_CERT_FILE: 'cert.pem' })).toThrow(/TLS_CERT_FILE and TLS_KEY_FILE/);
		expect(() => readConfig({ TLS_KEY_FILE: 'key.pem' })).toThrow(ConfigError);
	});

	test.each([
		[{}, { securityMode: 'None', securityPolicy: 'None', username: undefined }],
		[{ OPCUA_SECURITY_MODE: 'Sign' }, { securityMode: 'Sign', securityPolicy: 'Basic256Sha256' }],
		[
			{ OPCUA_SECURITY_MODE: 'SignAndEncrypt', OPCUA_SECURITY_POLICY: 'Aes256_Sha256_RsaPss', OPCUA_USERNAME: 'hmi', OPCUA_PASSWORD: 'pw' },
			{ securityMode: 'SignAndEncrypt', securityPolicy: 'Aes256_Sha256_RsaPss', username: 'hmi', password: 'pw' }
		],
		[{ OPCUA_SECURITY_POLICY: 'Basic256Sha256' }, { securityMode: 'None', securityPolicy: 'None' }],
		[{ OPCUA_USERNAME: 'hmi', OPCUA_PASSWORD: 'pw', OPCUA_ALLOW_PLAINTEXT_PASSWORD: '1' }, { securityMode: 'None', username: 'hmi' }],
		[{}, { trustOnFirstUse: false }],
		[{ OPCUA_SECURITY_MODE: 'Sign', OPCUA_TRUST_ON_FIRST_USE: '1' }, { securityMode: 'Sign', trustOnFirstUse: true }]
	])('OPC UA security %o → %o', (env, opcua) => {
		expect(readConfig(env).opcua).toMatchObject(opcua);
	});

	test('a bad OPC UA security mode, or a password without a user name, is refused', () => {
		expect(() => readConfig({ OPCUA_SECURITY_MODE: 'Encrypt' })).toThrow(/OPCUA_SECURITY_MODE:/);
		expect(() => readConfig({ OPCUA_PASSWORD: 'pw' })).toThrow(/OPCUA_PASSWORD: needs OPCUA_USERNAME/);
	});

	test.each([
		[{ OPCUA_USERNAME: 'hmi', OPCUA_PASSWORD: 'pw' }, 'refused'],
		[{ OPCUA_USERNAME: 'hmi', OPCUA_PASSWORD: 'pw', OPCUA_SECURITY_MODE: 'None' }, 'refused'],
		[{ OPCUA_USERNAME: 'hmi', OPCUA_PASSWORD: 'pw', OPCUA_ALLOW_PLAINTEXT_PASSWORD: '0' }, 'refused'],
		[{ OPCUA_USERNAME: 'hmi', OPCUA_PASSWORD: 'pw', OPCUA_ALLOW_PLAINTEXT_PASSWORD: '1' }, 'accepted'],
		[{ OPCUA_USERNAME: 'hmi', OPCUA_PASSWORD: 'pw', OPCUA_SECURITY_MODE: 'Sign' }, 'accepted'],
		[{ OPCUA_USERNAME: 'hmi', OPCUA_PASSWORD: 'pw', OPCUA_SECURITY_MODE: 'SignAndEncrypt' }, 'accepted'],
		[{}, 'accepted']
	])('a user name with security mode None (password in clear) unless explicitly allowed: %o → %s', (env, outcome) => {
		const read = () => readConfig(env);
		if (outcome === 'refused') expect(read).toThrow(/OPCUA_USERNAME: with OPCUA_SECURITY_MODE=None the password would cross the network in clear/);
		else expect(read).not.toThrow();
	});

});
