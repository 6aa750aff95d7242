/**
 * Load mode: publishes N topics at M messages/s in total on the broker, for benchmarks of the UNS browser.
 * Memory does not grow with N: topics and payloads are made when sent, and when the socket cannot keep up
 * a tick is skipped (counted) instead of queueing.
 */
import mqtt from 'mqtt';
import type { MqttLogin } from '../mqtt-accounts.js';
import { dueMessages, loadPayload, loadTopic } from './plan.js';

export interface LoadOptions {
	url: string;
	/** The load generator's broker account; none: anonymous. */
	login?: Partial<MqttLogin>;
	topics: number;
	/** Messages per second, all topics together. */
	rate: number;
	/** First topic level (default `loadtest`). */
	root?: string;
	tickMs?: number;
	/** Unsent bytes above which a tick is skipped. */
	maxBufferedBytes?: number;
}

export interface LoadStats {
	sent: number;
	skippedTicks: number;
}

export interface LoadPublisher {
	readonly stats: LoadStats;
	stop(): Promise<void>;
}

export function startLoadPublisher(opts: LoadOptions): LoadPublisher {
	const root = opts.root ?? 'loadtest';
	const tickMs = opts.tickMs ?? 10;
	const maxBuffered = opts.maxBufferedBytes ?? 4 * 1024 * 1024;
	const client = mqtt.connect(opts.url, { ...opts.login, clientId: `plc-sim-load-${process.pid}-${Date.now().toString(36)}`, reconnectPeriod: 1000, clean: true });
	client.on('error', () => {}); // reconnects on its own; a load generator has nothing better to do
	const stats: LoadStats = { sent: 0, skippedTicks: 0 };
	let next = 0;
	let carry = 0;
	let last = performance.now();
	const timer = setInterval(() => {
		const now = performance.now();
		const [count, rest] = dueMessages(opts.rate, now - last, carry);
		last = now;
		carry = rest;
		if (!client.connected) return;
		const stream = (client as unknown as { stream?: { writableLength?: number } }).stream;
		if ((stream?.writableLength ?? 0) > maxBuffered) {
			stats.skippedTicks++;
			return;
		}
		const ts = Date.now();
		for (let i = 0; i < count; i++) {
			client.publish(loadTopic(root, next), loadPayload(next, stats.sent, ts), { qos: 0 });
			stats.sent++;
			next = (next + 1) % opts.topics;
		}
	}, tickMs);
	return {
		stats,
		stop: () =>
			new Promise<void>((resolve) => {
				clearInterval(timer);
				client.end(true, {}, () => resolve());
			})
	};
}
