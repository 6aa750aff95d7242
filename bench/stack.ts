// A bench stack: the real runtime (embedded broker, hub, engines) behind a plain HTTP server for /ws,
// a logged-in user, and helpers to open clients and run load generators as separate processes.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { readConfig } from '$lib/server/config';
import { startRuntime, type Runtime } from '$lib/server/runtime';

export const ORIGIN = 'http://bench.local';

export interface BenchStack {
	runtime: Runtime;
	wsUrl: string;
	token: string;
	stop(): Promise<void>;
}

export async function startStack(): Promise<BenchStack> {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hmi-bench-'));
	const runtime = await startRuntime(
		readConfig({ DATA_DIR: dataDir, MQTT_PORT: '0', LOG_LEVEL: 'silent', ALLOWED_ORIGINS: ORIGIN, OPCUA_ENDPOINT: 'opc.tcp://127.0.0.1:9/none' })
	);
	const server = http.createServer((_q, r) => r.writeHead(404).end());
	server.on('upgrade', (req, socket, head) => void runtime.handleUpgrade(req, socket, head));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	await runtime.auth.createUser('bench', 'bench-password', 'operator');
	const login = await runtime.auth.login('bench', 'bench-password', 'bench');
	if (!login.ok) throw new Error('bench login failed');
	return {
		runtime,
		wsUrl: `ws://127.0.0.1:${(server.address() as net.AddressInfo).port}/ws`,
		token: login.token,
		async stop() {
			server.close();
			await runtime.stop();
			fs.rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

/** Opens a client subscribed to `patterns`; `onUpdate(ts)` gets each update's source time as it arrives. */
export async function openClient(stack: BenchStack, patterns: string[], onUpdate: (sourceTs: number, now: number) => void): Promise<WebSocket> {
	const ws = new WebSocket(stack.wsUrl, { origin: ORIGIN, headers: { cookie: `hmi_session=${stack.token}` } });
	await new Promise<void>((resolve, reject) => {
		ws.once('open', () => resolve());
		ws.once('error', reject);
	});
	ws.on('message', (data) => {
		const now = Date.now();
		const msg = JSON.parse(data.toString());
		if (msg.type === 'delta') for (const u of msg.u) onUpdate(u[3], now);
	});
	ws.send(JSON.stringify({ type: 'sub', id: 1, patterns }));
	return ws;
}

/** Runs the MQTT load generator in its own process and resolves with what it sent. */
export function runPublisher(mqttUrl: string, prefix: string, topics: number, rate: number, seconds: number): Promise<{ sent: number; seconds: number }> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--import', 'tsx', 'bench/load/publisher.ts', mqttUrl, prefix, String(topics), String(rate), String(seconds)], {
			stdio: ['ignore', 'pipe', 'inherit']
		});
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`publisher exited ${code}`))));
	});
}

/** The p-th percentile (0–100) of sorted numbers. */
export function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return Number.NaN;
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
