// A bench stack: the server under test in its own process, client swarms in theirs, and the MQTT load
// generator in a third. The parent only orchestrates and reads figures.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { startChild, type BenchChild } from './proc/child';
import type { ClientsConfig, ClientsReport } from './proc/clients';
import type { ServerStats } from './proc/server';
import { ids, plantWithLines, writePlantModel } from '$lib/server/testing/plant-models';

export { percentile } from './proc/stats';

export const ORIGIN = 'http://bench.local';

/** Lines of a scenario: the load generator spreads its topics over them, ten lines of one machine each. */
export const BENCH_LINES = 10;

/**
 * The plant a scenario publishes into: the tag store takes only what the plant model declares, so a
 * benchmark's topics are plant tags like any other. Line k is `<linePrefix><k>`, its machine `m`, its
 * tags `t0`…; a site of its own per run keeps runs apart on a shared broker.
 */
export interface BenchPlant {
	linePrefix: string;
	/** The subscription pattern of line k's tags (not its derived `_kpi`/`_alarms` below the machine). */
	line(k: number): string;
	/** Every line's pattern: one screen with all of the scenario's tags. */
	all(): string[];
}

export function benchPlant(scenario: string, topics: number): { plant: BenchPlant; modelFile: string } {
	const site = `bench${process.pid}`;
	const tagsPerLine = Math.ceil(topics / BENCH_LINES);
	const lines = ids(`${scenario}-`, BENCH_LINES).map((id) => ({ id, machines: ['m'], tags: ids('t', tagsPerLine) }));
	const modelFile = writePlantModel(plantWithLines(lines, site));
	const linePrefix = `acme/${site}/packaging/${scenario}-`;
	const line = (k: number) => `${linePrefix}${k}/m/+`;
	return { plant: { linePrefix, line, all: () => Array.from({ length: BENCH_LINES }, (_, k) => line(k)) }, modelFile };
}

export interface BenchStack {
	server: BenchChild;
	wsUrl: string;
	/** The broker, with the credentials of an account that may publish the scenario's lines. */
	mqttUrl: string;
	plant: BenchPlant;
	cookie: string;
	stats(): Promise<ServerStats>;
	stop(): Promise<void>;
}

/**
 * Starts the server process with a plant of `topics` tags for the scenario; with `mqttUrl` it uses that
 * broker instead of its embedded one.
 */
export async function startStack(mqttUrl: string | undefined, scenario: string, topics: number): Promise<BenchStack> {
	const { plant, modelFile } = benchPlant(scenario, topics);
	const server = startChild('bench/proc/server.ts', { origin: ORIGIN, mqttUrl, plantModel: modelFile });
	const ready = await server.next<{ wsUrl: string; mqttUrl: string; cookie: string }>('ready', 60_000);
	return {
		server,
		...ready,
		plant,
		stats: () => server.request<ServerStats>({ type: 'stats' }, 'stats'),
		stop: () => server.stop()
	};
}

export interface Swarm {
	/** Starts counting frames, and latencies of updates stamped from `from` on. */
	count(from: number): Promise<void>;
	finish(): Promise<ClientsReport>;
	stop(): Promise<void>;
}

/** Opens `count` clients in their own process; resolves once all have connected and subscribed. */
export async function startSwarm(stack: BenchStack, options: Pick<ClientsConfig, 'count' | 'screens' | 'probeEvery' | 'slow'>): Promise<Swarm> {
	const config: ClientsConfig = { wsUrl: stack.wsUrl, origin: ORIGIN, cookie: stack.cookie, ...options };
	const child = startChild('bench/proc/clients.ts', config);
	const connected = await child.next<{ connected: number; failed: number }>('connected', 120_000);
	if (connected.connected === 0) throw new Error('no client could connect');
	return {
		count: async (from) => void (await child.request({ type: 'count', from }, 'counting')),
		finish: () => child.request<ClientsReport>({ type: 'finish' }, 'report'),
		stop: () => child.stop()
	};
}

/** Runs the MQTT load generator in its own process on the stack's plant and resolves with what it sent. */
export function runPublisher(stack: BenchStack, topics: number, rate: number, seconds: number, padBytes = 0): Promise<{ sent: number; seconds: number }> {
	const args = [stack.mqttUrl, stack.plant.linePrefix, String(BENCH_LINES), String(topics), String(rate), String(seconds), String(padBytes)];
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--import', 'tsx', 'bench/load/publisher.ts', ...args], {
			stdio: ['ignore', 'pipe', 'inherit']
		});
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`publisher exited ${code}`))));
	});
}

/** The Mosquitto on this machine (127.0.0.1:1883) when it answers, for benchmarks with an external broker. */
export function localMosquitto(): Promise<string | undefined> {
	return new Promise((resolve) => {
		const socket = net.connect(1883, '127.0.0.1');
		socket.setTimeout(500);
		socket.once('connect', () => (socket.destroy(), resolve('mqtt://127.0.0.1:1883')));
		socket.once('error', () => resolve(undefined));
		socket.once('timeout', () => (socket.destroy(), resolve(undefined)));
	});
}

/** CPU use of the server between two stats, as a fraction of one core. */
export function cpuShare(before: ServerStats, after: ServerStats, wallMs: number): number {
	return (after.cpuUserUs - before.cpuUserUs + after.cpuSystemUs - before.cpuSystemUs) / 1000 / wallMs;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
