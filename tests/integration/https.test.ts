import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Quality, type ServerMessage } from '../../src/lib/shared/protocol';
import { freePort, waitFor } from './harness';

// The production server (server.js on the build) with a certificate: HTTPS login, WSS live values, no plain
// HTTP on that port. Needs `npm run build` first (run it under the shared build lock, as the e2e tests do).
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hmi-tls-'));
const certFile = path.join(dir, 'cert.pem');
const keyFile = path.join(dir, 'key.pem');
let child: ChildProcess;
let port: number;
let mqttPort: number;
let output = '';

beforeAll(async () => {
	if (!fs.existsSync('build/handler.js')) throw new Error('no build: run `npm run build` first (under the build lock)');
	// A self-signed certificate for 127.0.0.1; the test trusts exactly this one (no rejectUnauthorized: false).
	execFileSync('openssl', [
		'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
		'-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', keyFile, '-out', certFile
	], { stdio: 'ignore' });
	port = await freePort();
	mqttPort = await freePort();
	child = spawn(process.execPath, ['server.js'], {
		env: {
			PATH: process.env.PATH,
			HOME: process.env.HOME,
			PORT: String(port),
			HOST: '127.0.0.1',
			DATA_DIR: path.join(dir, 'data'),
			DEMO: '1',
			LOG_LEVEL: 'warn',
			MQTT_PORT: String(mqttPort),
			OPCUA_ENDPOINT: 'opc.tcp://127.0.0.1:9/none',
			TLS_CERT_FILE: certFile,
			TLS_KEY_FILE: keyFile
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout!.on('data', (d) => (output += d));
	child.stderr!.on('data', (d) => (output += d));
	await waitFor(() => output.includes('HMI ready on') || child.exitCode !== null, 'server ready', 30_000);
	if (!output.includes(`HMI ready on https://127.0.0.1:${port}`)) throw new Error(`server did not start:\n${output}`);
}, 60_000);

afterAll(async () => {
	if (child && child.exitCode === null) {
		const exited = new Promise((r) => child.once('exit', r));
		child.kill('SIGTERM');
		await exited;
	}
	fs.rmSync(dir, { recursive: true, force: true });
});

const origin = () => `https://127.0.0.1:${port}`;

function request(url: string, opts: https.RequestOptions & { body?: string } = {}): Promise<http.IncomingMessage & { text: string }> {
	return new Promise((resolve, reject) => {
		const lib = url.startsWith('https:') ? https : http;
		const req = lib.request(url, { ca: fs.readFileSync(certFile), ...opts }, (res) => {
			let text = '';
			res.on('data', (d) => (text += d));
			res.on('end', () => resolve(Object.assign(res, { text })));
		});
		req.on('error', reject);
		req.setTimeout(5000, () => req.destroy(new Error('timeout')));
		req.end(opts.body);
	});
}

describe('HTTPS and WSS with a configured certificate', () => {
	test('login over HTTPS sets a Secure session cookie; the live socket works over WSS and delivers values', async () => {
		const login = await request(`${origin()}/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin: origin() },
			body: 'username=operator&password=operator'
		});
		expect(login.statusCode).toBe(303);
		const cookie = [login.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('hmi_session='));
		expect(cookie).toMatch(/; Secure/i);
		expect(cookie).toMatch(/; HttpOnly/i);

		const ws = new WebSocket(`wss://127.0.0.1:${port}/ws`, { ca: fs.readFileSync(certFile), origin: origin(), headers: { cookie: cookie!.split(';')[0] } });
		const messages: ServerMessage[] = [];
		ws.on('message', (d) => messages.push(JSON.parse(d.toString()) as ServerMessage));
		await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
		ws.send(JSON.stringify({ type: 'sub', id: 1, patterns: ['acme/utrecht/packaging/line2/filler/#'] }));
		await waitFor(() => messages.some((m) => m.type === 'snapshot'), 'snapshot over WSS');

		const topic = 'acme/utrecht/packaging/line2/filler/product_temperature';
		const publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`);
		await publisher.publishAsync(topic, JSON.stringify({ timestamp_ms: Date.now(), value: 6.75 }));
		await publisher.endAsync();
		const paths = new Map<number, string>();
		const got = await waitFor(() => {
			for (const m of messages) {
				if (m.type !== 'snapshot' && m.type !== 'delta') continue;
				for (const [id, p] of m.defs ?? []) paths.set(id, p);
				const u = m.u.find(([id, value]) => paths.get(id) === topic && value === 6.75);
				if (u) return u;
			}
		}, 'value over WSS');
		expect(got[2]).toBe(Quality.Good);
		ws.terminate();
	});

	test('a page over HTTPS is served; plain HTTP on the same port is not', async () => {
		const page = await request(`${origin()}/login`);
		expect(page.statusCode).toBe(200);
		const plain = await request(`http://127.0.0.1:${port}/login`).then(
			(res) => ({ status: res.statusCode }),
			(err: Error) => ({ error: err.message })
		);
		// The TLS server cannot parse a plain request: no page comes back (a hang-up or a 400, never 200).
		expect('status' in plain ? plain.status : 400).toBeGreaterThanOrEqual(400);
		console.log(`[measure] plain HTTP to the HTTPS port: ${JSON.stringify(plain)}`);
	});

	test('a plain ws:// upgrade on the HTTPS port gets no socket', async () => {
		const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { origin: origin() });
		const outcome = await new Promise<string>((resolve) => {
			ws.once('open', () => resolve('open'));
			ws.once('unexpected-response', (_req, res) => resolve(`status ${res.statusCode}`));
			ws.once('error', (err) => resolve(`error ${err.message}`));
		});
		expect(outcome).not.toBe('open');
		ws.terminate();
	});
});
