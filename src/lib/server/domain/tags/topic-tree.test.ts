import { describe, expect, test } from 'vitest';
import { rateAt, RATE_WINDOW_MS, TopicTree } from './topic-tree';

const T0 = 1_800_000_000_000;

describe('TopicTree', () => {
	test('counts topics and messages, rolled up to every ancestor', () => {
		const tree = new TopicTree();
		const at = (path: string, now: number) => tree.record(path, { now, origin: 'mqtt', value: 1 });
		at('acme/l1/filler/speed', T0);
		at('acme/l1/filler/speed', T0 + 100);
		at('acme/l1/capper/speed', T0 + 200);
		at('acme/l2/filler/speed', T0 + 300);
		expect(tree.topicCount).toBe(3);
		expect(tree.find('acme')?.messages).toBe(4);
		expect(tree.find('acme/l1')?.messages).toBe(3);
		expect(tree.find('acme/l1')?.children?.size).toBe(2);
		expect(tree.find('acme/l1/filler/speed')?.messages).toBe(2);
		expect(tree.find('acme/l3')).toBeUndefined();
	});

	test('the rate settles at the true message rate and drops to zero when messages stop', () => {
		const tree = new TopicTree();
		// 10 messages per second for 60 s.
		for (let t = T0; t < T0 + 60_000; t += 100) tree.record('acme/x', { now: t, origin: 'mqtt', value: 1 });
		const node = tree.find('acme/x')!;
		expect(rateAt(node, T0 + 60_000)).toBeCloseTo(10, 9);
		// Half a window of silence halves it; a whole window ends it.
		expect(rateAt(node, T0 + 60_000 + RATE_WINDOW_MS / 2)).toBeCloseTo(5, 9);
		expect(rateAt(node, T0 + 60_000 + RATE_WINDOW_MS)).toBe(0);
	});
});
