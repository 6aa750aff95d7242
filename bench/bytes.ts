// Bytes on the wire for one operator screen: the live WebSocket (what the screen subscribes to: the plant
// and the source states) against the same data polled once a second from the REST endpoint
// (`/api/tags`), both counted as TCP payload bytes in both directions (HTTP headers, upgrade and WebSocket
// framing included), over the same period against the running simulator.
import http from 'node:http';
import type net from 'node:net';
import WebSocket from 'ws';
import type { Figure } from './figure';
import { sleep } from './stack';

/** The operator screen's subscription (src/routes/(app)/+layout.svelte). */
const SCREEN_PATTERNS = ['acme/#', '_sys/#'];

export async function bytesBench(baseURL: string, cookie: string, seconds: number): Promise<Figure[]> {
	const wsUrl = baseURL.replace(/^http/, 'ws') + '/ws';
	const ws = new WebSocket(wsUrl, { origin: baseURL, headers: { cookie }, perMessageDeflate: false });
	await new Promise<void>((resolve, reject) => (ws.once('open', () => resolve()), ws.once('error', reject)));
	ws.send(JSON.stringify({ type: 'sub', id: 1, patterns: SCREEN_PATTERNS }));

	const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
	const sockets = new Set<net.Socket>();
	const query = SCREEN_PATTERNS.map((p) => `pattern=${encodeURIComponent(p)}`).join('&');
	let polls = 0;
	let failedPolls = 0;
	const poll = () =>
		new Promise<void>((resolve) => {
			const req = http.get(`${baseURL}/api/tags?${query}`, { agent, headers: { cookie } }, (res) => {
				res.resume();
				res.on('end', () => ((res.statusCode === 200 ? polls++ : failedPolls++), resolve()));
			});
			req.on('socket', (s) => sockets.add(s));
			req.on('error', () => (failedPolls++, resolve()));
		});

	const end = Date.now() + seconds * 1000;
	for (let next = Date.now(); next < end; next += 1000) {
		await poll();
		await sleep(Math.max(0, next + 1000 - Date.now()));
	}
	const socket = (ws as unknown as { _socket: net.Socket })._socket;
	const wsBytes = socket.bytesRead + socket.bytesWritten;
	const pollBytes = [...sockets].reduce((sum, s) => sum + s.bytesRead + s.bytesWritten, 0);
	ws.close();
	agent.destroy();
	const saved = 1 - wsBytes / pollBytes;
	const perFiveMin = (b: number) => Math.round((b * 300) / seconds / 1024);
	return [
		{
			name: 'bytes: WebSocket vs 1 Hz polling',
			value: Math.round(saved * 1000) / 10,
			unit: '% fewer',
			goal: '≥ 95',
			met: saved >= 0.95,
			note:
				`operator screen over ${seconds} s: WebSocket ${Math.round(wsBytes / 1024)} KiB, polling ${Math.round(pollBytes / 1024)} KiB ` +
				`(${polls} polls${failedPolls ? `, ${failedPolls} failed` : ''}); per 5 min ≈ ${perFiveMin(wsBytes)} vs ${perFiveMin(pollBytes)} KiB`
		}
	];
}
