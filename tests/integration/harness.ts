import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { ServerMessage, TagValue } from '../../src/lib/shared/protocol';
import { readConfig } from '../../src/lib/server/config';
import { startRuntime, type Runtime, type RuntimeDeps } from '../../src/lib/server/runtime';

/** The Origin our test clients present; the test server allows exactly this one. */
export const TEST_ORIGIN = 'http://hmi.test';

export interface TestHmi {
	runtime: Runtime;
	wsUrl: string;
	/** Session token of user `op` (operator). */
	token: string;
	connect(opts?: { token?: string | null; origin?: string }): TestClient;
	/**
	 * The embedded broker's URL with the user name and password of one of its accounts, for test
	 * publishers: `hmi` (default; may publish anything), `line-line2` (line 2's controller), `sparkplug`,
	 * `uns-publisher`.
	 */
	mqttUrlAs(account?: string): string;
	stop(): Promise<void>;
}

/**
 * The real runtime (embedded broker on a free port, SQLite in a temp folder, connectors, hub) behind a
 * plain HTTP server that only serves the /ws upgrade, as server.js does.
 */
export async function startHmi(env: Record<string, string> = {}, deps: RuntimeDeps = {}): Promise<TestHmi> {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hmi-test-'));
	const config = readConfig({
		DATA_DIR: dataDir,
		MQTT_PORT: '0',
		ALLOWED_ORIGINS: TEST_ORIGIN,
		// Test clients connect to the loopback address (the Host header names it), presenting TEST_ORIGIN.
		ALLOWED_HOSTS: '127.0.0.1',
		LOG_LEVEL: 'silent',
		SESSION_SECRET: 'integration-test-secret-of-32-characters',
		// Nothing listens on the discard port: the OPC UA line stays disconnected unless a test sets one.
		OPCUA_ENDPOINT: 'opc.tcp://127.0.0.1:9/none',
		...env
	});
	const runtime = await startRuntime(config, deps);
	const server = http.createServer((_req, res) => res.writeHead(404).end());
	server.on('upgrade', (req, socket, head) => void runtime.handleUpgrade(req, socket, head));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const wsUrl = `ws://127.0.0.1:${(server.address() as net.AddressInfo).port}/ws`;
	await runtime.auth.createUser('op', 'op-password', 'operator');
	const login = await runtime.auth.login('op', 'op-password', 'test');
	if (!login.ok) throw new Error('test login failed');
	const clients: TestClient[] = [];
	return {
		runtime,
		wsUrl,
		token: login.token,
		mqttUrlAs(account = 'hmi') {
			return brokerUrlAs(runtime, account);
		},
		connect(opts = {}) {
			const token = opts.token === undefined ? login.token : opts.token;
			const client = new TestClient(wsUrl, token, opts.origin ?? TEST_ORIGIN);
			clients.push(client);
			return client;
		},
		async stop() {
			for (const c of clients) c.ws.terminate();
			server.close();
			await runtime.stop();
			fs.rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

/** The runtime's embedded broker URL with an account's credentials in it. */
export function brokerUrlAs(runtime: Runtime, account = 'hmi'): string {
	if (!runtime.embeddedBroker) throw new Error('no embedded broker');
	const { username, password } = runtime.embeddedBroker.accounts.credentials(account);
	const url = new URL(runtime.mqttUrl);
	url.username = username;
	url.password = password;
	return url.toString();
}

/** A WebSocket client that keeps every message and the current value of each path. */
export class TestClient {
	readonly ws: WebSocket;
	readonly messages: ServerMessage[] = [];
	readonly values = new Map<string, { value: TagValue; quality: number; ts: number }>();
	readonly #paths = new Map<number, string>();
	closed?: { code: number; reason: string };
	/** HTTP status when the upgrade was refused. */
	refusedStatus?: number;
	readonly opened: Promise<void>;

	constructor(url: string, token: string | null, origin: string) {
		this.ws = new WebSocket(url, { origin, headers: token ? { cookie: `hmi_session=${token}` } : {} });
		this.opened = new Promise((resolve, reject) => {
			this.ws.once('open', () => resolve());
			this.ws.once('unexpected-response', (_req, res) => {
				this.refusedStatus = res.statusCode;
				reject(new Error(`upgrade refused: ${res.statusCode}`));
			});
			this.ws.once('error', reject);
		});
		this.opened.catch(() => {});
		this.ws.on('message', (data) => {
			const msg = JSON.parse(data.toString()) as ServerMessage;
			this.messages.push(msg);
			if (msg.type === 'snapshot' || msg.type === 'delta') {
				for (const [id, p] of msg.defs ?? []) this.#paths.set(id, p);
				for (const [id, value, quality, ts] of msg.u) this.values.set(this.#paths.get(id)!, { value, quality, ts });
			}
		});
		this.ws.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
	}

	send(msg: unknown): void {
		this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
	}

	async subscribe(patterns: string[], id = 1): Promise<void> {
		await this.opened;
		this.send({ type: 'sub', id, patterns });
		await waitFor(() => this.messages.some((m) => m.type === 'snapshot' && m.id === id), 'snapshot');
	}
}

/** Polls `check` until it is truthy; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(check: () => T | undefined | null | false, what: string, timeoutMs = 15_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const result = check();
		if (result) return result;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 25));
	}
}

/** A port that was free a moment ago (for servers that cannot report the port they bound). */
export async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as net.AddressInfo).port;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

/** True when something accepts TCP connections at host:port within `timeoutMs`. */
export function reachable(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect({ host, port });
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(timeoutMs, () => done(false));
		socket.once('connect', () => done(true));
		socket.once('error', () => done(false));
	});
}
