// A swarm of authenticated WebSocket clients, as its own process. Client i subscribes to the patterns of
// screen i % screens.length. "Probe" clients parse every frame and record, per update, the time from the
// source's timestamp (set by the publisher at send) to the frame's arrival; the others only check that
// sequence numbers are gapless and count frames and bytes, so the swarm itself stays light.
// A 'slow' swarm stops reading once subscribed (its socket is paused), like a frozen tablet.
import WebSocket from 'ws';
import { configOf, tell } from './child';
import { percentile } from './stats';

export interface ClientsConfig {
	wsUrl: string;
	origin: string;
	cookie: string;
	count: number;
	screens: string[][];
	/** Every n-th client is a latency probe (1: all of them). */
	probeEvery: number;
	/** Stop reading once subscribed. */
	slow?: boolean;
}

export interface ClientsReport {
	type: 'report';
	connected: number;
	failed: number;
	/** Closed by the server (or dropped) before the end, by close code. */
	closedEarly: Record<string, number>;
	seqGaps: number;
	frames: number;
	bytes: number;
	updates: number;
	latency: { count: number; p50: number; p95: number; p99: number; max: number };
}

const config = configOf<ClientsConfig>();
const sockets: WebSocket[] = [];
const latencies: number[] = [];
let counting = false;
let countFrom = Number.POSITIVE_INFINITY;
const report: ClientsReport = {
	type: 'report',
	connected: 0,
	failed: 0,
	closedEarly: {},
	seqGaps: 0,
	frames: 0,
	bytes: 0,
	updates: 0,
	latency: { count: 0, p50: 0, p95: 0, p99: 0, max: 0 }
};
let stopping = false;
const SEQ = /"seq":(\d+)/;

function open(i: number): Promise<void> {
	const probe = i % config.probeEvery === 0;
	const ws = new WebSocket(config.wsUrl, { origin: config.origin, headers: { cookie: config.cookie }, perMessageDeflate: false });
	let lastSeq = 0;
	return new Promise((resolve) => {
		ws.once('open', () => {
			report.connected++;
			sockets.push(ws);
			ws.send(JSON.stringify({ type: 'sub', id: 1, patterns: config.screens[i % config.screens.length] }));
			resolve();
		});
		ws.once('error', () => {
			report.failed++;
			resolve();
		});
		ws.on('close', (code) => {
			if (!stopping) report.closedEarly[code] = (report.closedEarly[code] ?? 0) + 1;
		});
		ws.on('message', (data: Buffer) => {
			const now = Date.now();
			if (config.slow) return;
			const text = data.toString();
			const seq = Number(SEQ.exec(text)?.[1] ?? 0);
			if (lastSeq && seq !== lastSeq + 1) report.seqGaps++;
			lastSeq = seq;
			if (!counting) return;
			report.frames++;
			report.bytes += data.length;
			if (!probe) return;
			const msg = JSON.parse(text) as { type: string; u?: [number, unknown, number, number][] };
			if (msg.type !== 'delta' || !msg.u) return;
			for (const u of msg.u) {
				if (u[3] < countFrom) continue;
				report.updates++;
				latencies.push(now - u[3]);
			}
		});
	});
}

// Connect in small waves: a thousand simultaneous handshakes would measure the accept queue, not the hub.
for (let i = 0; i < config.count; i += 50) {
	await Promise.all(Array.from({ length: Math.min(50, config.count - i) }, (_, k) => open(i + k)));
}
if (config.slow) for (const ws of sockets) (ws as unknown as { _socket: { pause(): void } })._socket.pause();
tell({ type: 'connected', connected: report.connected, failed: report.failed });

process.on('message', (message: { type: string; from?: number }) => {
	if (message.type === 'count') {
		counting = true;
		countFrom = message.from ?? Date.now();
		tell({ type: 'counting' });
	} else if (message.type === 'finish') {
		counting = false;
		latencies.sort((a, b) => a - b);
		report.latency = {
			count: latencies.length,
			p50: percentile(latencies, 50),
			p95: percentile(latencies, 95),
			p99: percentile(latencies, 99),
			max: latencies.at(-1) ?? Number.NaN
		};
		tell(report as unknown as { type: string });
	} else if (message.type === 'stop') {
		stopping = true;
		for (const ws of sockets) ws.terminate();
		process.exit(0);
	}
});
