// The server under test, as its own process: the real runtime (broker or external MQTT, tag store, engines,
// historian, hub) behind a plain HTTP server for /ws, with one signed-in user. Answers 'stats' requests
// with its CPU time, memory and hub counters, and samples the largest per-client send buffer.
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { readConfig } from '$lib/server/config';
import { startRuntime } from '$lib/server/runtime';
import { HMI_ACCOUNT } from '$lib/server/domain/plant/broker-acl';
import { configOf, tell } from './child';

export interface ServerConfig {
	origin: string;
	/** An external broker; the embedded one when absent. */
	mqttUrl?: string;
	/** The plant model file that declares the scenario's tags. */
	plantModel: string;
}

export interface ServerStats {
	type: 'stats';
	rss: number;
	heapUsed: number;
	cpuUserUs: number;
	cpuSystemUs: number;
	hub: ReturnType<Awaited<ReturnType<typeof startRuntime>>['hub']['stats']>;
	/** Largest bytes queued for one client, sampled every 50 ms since the last stats request. */
	largestClientBufferBytes: number;
	/** Messages the MQTT source has received. */
	mqttMessages: number;
}

const config = configOf<ServerConfig>();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hmi-bench-'));
const runtime = await startRuntime(
	readConfig({
		DATA_DIR: dataDir,
		MQTT_PORT: '0',
		...(config.mqttUrl ? { MQTT_URL: config.mqttUrl } : {}),
		LOG_LEVEL: 'silent',
		PLANT_MODEL: config.plantModel,
		ALLOWED_ORIGINS: config.origin,
		// The swarms connect to the loopback address (their Host header), presenting the bench origin.
		ALLOWED_HOSTS: '127.0.0.1',
		// Every swarm client signs in as the one bench user: a thousand tablets sharing an account.
		WS_MAX_PER_USER: '100000',
		// No PLC in the data-path benchmarks: line 1's OPC UA source stays down.
		OPCUA_ENDPOINT: 'opc.tcp://127.0.0.1:9/none'
	})
);
const server = http.createServer((_req, res) => res.writeHead(404).end());
server.on('upgrade', (req, socket, head) => void runtime.handleUpgrade(req, socket, head));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
await runtime.auth.createUser('bench', 'bench-password-1', 'operator');
const login = await runtime.auth.login('bench', 'bench-password-1', 'bench');
if (!login.ok) throw new Error('bench login failed');

let largestBuffer = 0;
const sampler = setInterval(() => (largestBuffer = Math.max(largestBuffer, runtime.hub.stats().largestBufferedBytes)), 50);

process.on('message', async (message: { type: string }) => {
	if (message.type === 'stats') {
		const cpu = process.cpuUsage();
		const mem = process.memoryUsage();
		const stats: ServerStats = {
			type: 'stats',
			rss: mem.rss,
			heapUsed: mem.heapUsed,
			cpuUserUs: cpu.user,
			cpuSystemUs: cpu.system,
			hub: runtime.hub.stats(),
			largestClientBufferBytes: largestBuffer,
			mqttMessages: runtime.sources.get('mqtt')?.messages ?? 0
		};
		largestBuffer = 0;
		tell(stats as unknown as { type: string });
	} else if (message.type === 'stop') {
		clearInterval(sampler);
		server.close();
		await runtime.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
		process.exit(0);
	}
});

tell({
	type: 'ready',
	wsUrl: `ws://127.0.0.1:${(server.address() as net.AddressInfo).port}/ws`,
	// The embedded broker signs clients in: the load generator publishes as the HMI account (it may write every line).
	mqttUrl: runtime.embeddedBroker ? urlWithAccount(runtime.mqttUrl, runtime.embeddedBroker.accounts.credentials(HMI_ACCOUNT)) : runtime.mqttUrl,
	cookie: `hmi_session=${login.token}`
});

function urlWithAccount(url: string, login: { username: string; password: string }): string {
	const u = new URL(url);
	u.username = login.username;
	u.password = login.password;
	return u.toString();
}
