import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { connectAsync } from 'mqtt';
import WebSocket from 'ws';
import { expect, test } from '@playwright/test';
import { LINE2, valueOf } from './helpers';
import { freePort, startServerProcess, type ServerProcess } from './server-process';

// The production server (server.js on the build) with a certificate of its own: the browser signs in over
// HTTPS, gets a Secure session cookie and live values over WSS; plain HTTP and ws:// get nothing on that port.
// A browser test because it needs the build, which `npm run test:e2e` makes first.
const TEMP = `${LINE2}/filler/product_temperature`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hmi-tls-'));
const certFile = path.join(dir, 'cert.pem');
const keyFile = path.join(dir, 'key.pem');
let server: ServerProcess | undefined;
let origin: string;
let port: number;
let mqttPort: number;

test.describe.configure({ mode: 'serial' });
// The certificate is self-signed: the browser is told to accept it; the Node checks below trust exactly it.
test.use({ ignoreHTTPSErrors: true, baseURL: undefined });

test.beforeAll(async () => {
	test.skip(!fs.existsSync('build/handler.js'), 'no local build (testing a stack elsewhere)');
	execFileSync('openssl', [
		'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
		'-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', keyFile, '-out', certFile
	], { stdio: 'ignore' });
	port = await freePort();
	mqttPort = await freePort();
	origin = `https://127.0.0.1:${port}`;
	server = await startServerProcess('tls', { PORT: String(port), MQTT_PORT: String(mqttPort), TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile });
	expect(server.output()).toContain(`HMI ready on ${origin}`);
});

test.afterAll(async () => {
	await server?.stop();
	fs.rmSync(dir, { recursive: true, force: true });
});

test('sign in over HTTPS: Secure session cookie, live values over WSS', async ({ page, context }) => {
	await page.goto(`${origin}/login`);
	await page.locator('input[name="username"]').fill('operator');
	await page.locator('input[name="password"]').fill('operator');
	await page.locator('form button[type="submit"]').click();
	await expect(page).toHaveURL(/\/operator$/);
	const session = (await context.cookies(origin)).find((c) => c.name === 'hmi_session');
	expect(session).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict' });

	const sockets: string[] = [];
	page.on('websocket', (ws) => sockets.push(ws.url()));
	await page.reload();
	await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'online');
	expect(sockets).toEqual([`wss://127.0.0.1:${port}/ws`]);

	// The embedded broker lets line 2's values in from line 2's own account only (written by the HMI on start).
	const { accounts } = JSON.parse(fs.readFileSync(path.join(server!.dataDir, 'mqtt-accounts.json'), 'utf8'));
	const publisher = await connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { reconnectPeriod: 0, username: 'line-line2', password: accounts['line-line2'].password });
	try {
		await publisher.publishAsync(TEMP, JSON.stringify({ timestamp_ms: Date.now(), value: 6.75 }));
		await expect(valueOf(page, TEMP)).toHaveText(/6[.,]8|6[.,]75/);
		await expect(valueOf(page, TEMP)).toHaveAttribute('data-quality', 'good');
	} finally {
		await publisher.endAsync();
	}
});

test('plain HTTP and ws:// on the HTTPS port get no page and no socket', async () => {
	const plain = await new Promise<string>((resolve) => {
		const req = http.get(`http://127.0.0.1:${port}/login`, (res) => resolve(`status ${res.statusCode}`));
		req.on('error', (err) => resolve(`error ${err.message}`));
		req.setTimeout(5000, () => req.destroy(new Error('timeout')));
	});
	expect(plain).not.toMatch(/^status [23]/);
	const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { origin });
	const upgrade = await new Promise<string>((resolve) => {
		ws.once('open', () => resolve('open'));
		ws.once('unexpected-response', (_req, res) => resolve(`status ${res.statusCode}`));
		ws.once('error', (err) => resolve(`error ${err.message}`));
	});
	ws.terminate();
	expect(upgrade).not.toBe('open');
	console.log(`[measure] plain HTTP to the HTTPS port: ${plain}; ws:// upgrade: ${upgrade}`);
});
