import net from 'node:net';
import mqtt from 'mqtt';
import { describe, expect, test } from 'vitest';
import { SimError } from '../errors.js';
import { takeLoadArgs } from './cli.js';
import { dueMessages, loadPayload, loadTopic } from './plan.js';
import { startLoadPublisher } from './publisher.js';

describe('plan', () => {
	test.each([
		[0, 'loadtest/site0/area0/line0/cell0/tag0'],
		[9, 'loadtest/site0/area0/line0/cell0/tag9'],
		[10, 'loadtest/site0/area0/line0/cell1/tag10'],
		[37_012, 'loadtest/site3/area7/line0/cell1/tag37012'],
		[99_999, 'loadtest/site9/area9/line9/cell9/tag99999']
	])('topic %i = %s', (i, topic) => expect(loadTopic('loadtest', i)).toBe(topic));

	test('100,000 topics make a tree of at most 10 children per branch', () => {
		const children = new Map<string, Set<string>>();
		for (let i = 0; i < 100_000; i++) {
			const levels = loadTopic('loadtest', i).split('/');
			for (let d = 1; d < levels.length; d++) {
				const parent = levels.slice(0, d).join('/');
				if (!children.has(parent)) children.set(parent, new Set());
				children.get(parent)!.add(levels[d]);
			}
		}
		expect(Math.max(...[...children.values()].map((s) => s.size))).toBe(10);
		expect(children.get('loadtest')!.size).toBe(10);
	});

	test('payloads are UNS JSON with timestamp_ms', () => {
		expect(JSON.parse(loadPayload(3, 7, 1_800_000_000_000))).toEqual({ value: expect.any(Number), timestamp_ms: 1_800_000_000_000 });
	});

	test.each([
		// rate, tick ms, carry → count, carry
		[10_000, 10, 0, 100, 0],
		[1000, 10, 0, 10, 0],
		[150, 10, 0, 1, 0.5],
		[150, 10, 0.5, 2, 0],
		[1, 10, 0.99, 1, 0]
	])('rate %i over %i ms with carry %d → %i now', (rate, ms, carry, count, rest) => {
		const [n, c] = dueMessages(rate, ms, carry);
		expect(n).toBe(count);
		expect(c).toBeCloseTo(rest, 9);
	});
});

describe('options', () => {
	test('taken out of argv, the rest left for the main parser', () => {
		expect(takeLoadArgs(['--seed', '3', '--load-topics', '100000', '--load-rate=10000'])).toEqual({
			argv: ['--seed', '3'],
			load: { topics: 100_000, rate: 10_000 }
		});
		expect(takeLoadArgs(['--seed', '3'])).toEqual({ argv: ['--seed', '3'] });
		expect(takeLoadArgs(['--load-topics', '5']).load).toEqual({ topics: 5, rate: 1000 });
	});

	test.each([['--load-topics', '0'], ['--load-topics', 'many'], ['--load-rate', '-1'], ['--load-rate', '1.5'], ['--load-topics']])('%s %s is refused', (...args) => {
		expect(() => takeLoadArgs(args.filter((a) => a !== undefined))).toThrow(SimError);
	});
});

describe('publisher against a broker', () => {
	test('publishes every topic in turn at about the asked rate', async () => {
		const { Aedes } = await import('aedes');
		const broker = await Aedes.createBroker();
		const server = net.createServer(broker.handle);
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const url = `mqtt://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
		const sub = await mqtt.connectAsync(url);
		const seen = new Map<string, number>();
		sub.on('message', (topic) => seen.set(topic, (seen.get(topic) ?? 0) + 1));
		await sub.subscribeAsync('loadtest/#');
		const load = startLoadPublisher({ url, topics: 50, rate: 500 });
		try {
			await new Promise((r) => setTimeout(r, 1500));
		} finally {
			await load.stop();
			await new Promise((r) => setTimeout(r, 100));
			await sub.endAsync();
			await new Promise<void>((resolve) => broker.close(() => resolve()));
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
		const total = [...seen.values()].reduce((a, b) => a + b, 0);
		console.log(`[measure] load publisher: ${total} messages in ~1.5 s at 500/s asked (${load.stats.skippedTicks} ticks skipped)`);
		// Every topic had its turn (50 topics, hundreds of messages), and none got more than its share + 1.
		expect(seen.size).toBe(50);
		const counts = [...seen.values()];
		expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
		expect(total).toBe(load.stats.sent);
	});
});
