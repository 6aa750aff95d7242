import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CloseCode, Quality, SESSION_ENDED_REASON } from '../../src/lib/shared/protocol';
import { startHmi, waitFor, type TestHmi } from './harness';

let hmi: TestHmi;
beforeAll(async () => {
	hmi = await startHmi({ WS_MAX_PAYLOAD_KB: '4' });
});
afterAll(() => hmi?.stop());

describe('the /ws upgrade', () => {
	test('without a session cookie it is refused with 401 and no socket', async () => {
		const client = hmi.connect({ token: null });
		await expect(client.opened).rejects.toThrow();
		expect(client.refusedStatus).toBe(401);
	});

	test('with a forged token it is refused with 401', async () => {
		const client = hmi.connect({ token: hmi.token.slice(0, -4) + 'AAAA' });
		await expect(client.opened).rejects.toThrow();
		expect(client.refusedStatus).toBe(401);
	});

	test('from a foreign Origin it is refused with 403, even with a valid cookie', async () => {
		const client = hmi.connect({ origin: 'https://evil.example' });
		await expect(client.opened).rejects.toThrow();
		expect(client.refusedStatus).toBe(403);
	});
});

describe('client messages', () => {
	test('a malformed message gets an error with a stable code and the socket stays open', async () => {
		const client = hmi.connect();
		await client.opened;
		client.send('{"type":"sub",');
		client.send({ type: 'teleport' });
		await waitFor(() => client.messages.filter((m) => m.type === 'error').length === 2, 'two errors');
		expect(client.messages.map((m) => m.type === 'error' && m.code)).toEqual(['HMI_ERR_BAD_MESSAGE', 'HMI_ERR_UNKNOWN_TYPE']);
		client.send({ type: 'ping', id: 9 });
		await waitFor(() => client.messages.some((m) => m.type === 'pong' && m.id === 9), 'pong');
		expect(client.closed).toBeUndefined();
	});

	test('an oversize message closes the socket with 1009', async () => {
		const client = hmi.connect();
		await client.opened;
		client.send({ type: 'sub', id: 1, patterns: ['x'.repeat(5000)] });
		await waitFor(() => client.closed, 'close');
		expect(client.closed?.code).toBe(CloseCode.TooBig);
	});
});

describe('live values over MQTT (embedded broker)', () => {
	test('a UNS message reaches a subscribed client; a malformed one turns the tag Bad and is counted', async () => {
		const client = hmi.connect();
		await client.subscribe(['acme/#']);
		const publisher = await mqtt.connectAsync(hmi.mqttUrlAs('line-line2'));
		try {
			const topic = 'acme/utrecht/packaging/line2/filler/product_temperature';
			await publisher.publishAsync(topic, JSON.stringify({ timestamp_ms: 1764000000000, value: 6.5 }));
			const got = await waitFor(() => client.values.get(topic), 'value');
			expect(got).toEqual({ value: 6.5, quality: Quality.Good, ts: 1764000000000 });

			await publisher.publishAsync(topic, '{"timestamp_ms": 17640000');
			await waitFor(() => client.values.get(topic)?.quality === Quality.Bad, 'bad quality');
			expect(client.values.get(topic)?.value).toBe(6.5);
			expect(hmi.runtime.health().sources.mqtt.malformed['bad-json']).toBe(1);

			await publisher.publishAsync(topic, '7.25');
			await waitFor(() => client.values.get(topic)?.value === 7.25, 'recovered value');
			expect(client.values.get(topic)?.quality).toBe(Quality.Good);
		} finally {
			await publisher.endAsync();
		}
	});

	test('the source state is a tag, and /healthz-style health reports it', async () => {
		expect(hmi.runtime.health().sources.mqtt.state).toBe('connected');
		const client = hmi.connect();
		await client.subscribe(['_sys/#']);
		expect(client.values.get('_sys/sources/mqtt/state')?.value).toBe('connected');
		expect(client.values.get('_sys/sources/opcua-line1/state')?.value).not.toBe('connected');
	});
});

describe('sessions', () => {
	test('logout closes that session\'s sockets with 1008 and the token stops working', async () => {
		const login = await hmi.runtime.auth.login('op', 'op-password', 'test-2');
		if (!login.ok) throw new Error('login failed');
		const client = hmi.connect({ token: login.token });
		await client.opened;
		hmi.runtime.auth.logout(login.user.sid);
		await waitFor(() => client.closed, 'close');
		expect(client.closed).toEqual({ code: CloseCode.Policy, reason: SESSION_ENDED_REASON });
		const again = hmi.connect({ token: login.token });
		await expect(again.opened).rejects.toThrow();
		expect(again.refusedStatus).toBe(401);
	});
});
