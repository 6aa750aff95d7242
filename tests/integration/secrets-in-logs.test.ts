import net from 'node:net';
import { PassThrough } from 'node:stream';
import { Aedes } from 'aedes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLogger } from '../../src/lib/server/log';
import { startHmi, waitFor, type TestHmi } from './harness';

// Every log line at debug level, through a whole session, must be free of tokens, cookies and passwords.
describe('secrets never reach the logs', () => {
	const lines: string[] = [];
	const sink = new PassThrough();
	sink.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
	let hmi: TestHmi;
	let broker: net.Server;
	let closeBroker: () => void;
	const BROKER_PASSWORD = 'broker-pass-7Hq2';

	beforeAll(async () => {
		const aedes = await Aedes.createBroker();
		broker = net.createServer(aedes.handle);
		await new Promise<void>((resolve) => broker.listen(0, '127.0.0.1', resolve));
		closeBroker = () => {
			broker.close();
			aedes.close();
		};
		const port = (broker.address() as net.AddressInfo).port;
		hmi = await startHmi(
			{ MQTT_URL: `mqtt://hmi:${BROKER_PASSWORD}@127.0.0.1:${port}`, LOG_LEVEL: 'debug' },
			{ log: createLogger('debug', sink) }
		);
	});
	afterAll(async () => {
		await hmi?.stop();
		closeBroker?.();
	});

	test('login, a live socket, refused upgrades, a failed login and logout log no secret', async () => {
		await waitFor(() => hmi.runtime.health().sources.mqtt.state === 'connected', 'mqtt connected');
		const login = await hmi.runtime.auth.login('op', 'op-password', '10.0.0.7');
		if (!login.ok) throw new Error('login failed');
		const client = hmi.connect({ token: login.token });
		await client.subscribe(['acme/#']);
		const foreign = hmi.connect({ token: login.token, origin: 'https://evil.example' });
		await expect(foreign.opened).rejects.toThrow();
		const forged = hmi.connect({ token: `${login.token}x` });
		await expect(forged.opened).rejects.toThrow();
		await hmi.runtime.auth.login('op', 'wrong-password-9Zx', '10.0.0.7');
		hmi.runtime.auth.logout(login.user.sid);
		await waitFor(() => client.closed, 'socket closed');
		await new Promise((r) => setTimeout(r, 100));

		const log = lines.join('\n');
		expect(lines.length).toBeGreaterThan(5);
		expect(log).toContain('login');
		expect(log).toContain('websocket upgrade refused');
		for (const secret of [login.token, login.user.sid, hmi.token, 'op-password', 'wrong-password-9Zx', BROKER_PASSWORD]) {
			expect(log.includes(secret), `a log line contains ${secret.slice(0, 6)}…`).toBe(false);
		}
		expect(JSON.stringify(hmi.runtime.health())).not.toContain(BROKER_PASSWORD);
	});
});
