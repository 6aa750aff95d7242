import { describe, expect, test } from 'vitest';
import { rateAt, RATE_TAU_MS, TopicTree } from './topic-tree';

describe('TopicTree', () => {
	test('counts topics and messages, rolled up to every ancestor', () => {
		const tree = new TopicTree();
		tree.record('acme/l1/filler/speed', 0);
		tree.record('acme/l1/filler/speed', 100);
		tree.record('acme/l1/capper/speed', 200);
		tree.record('acme/l2/filler/speed', 300);
		expect(tree.topicCount).toBe(3);
		expect(tree.find('acme')?.messages).toBe(4);
		expect(tree.find('acme/l1')?.messages).toBe(3);
		expect(tree.find('acme/l1')?.children.size).toBe(2);
		expect(tree.find('acme/l1/filler/speed')?.messages).toBe(2);
		expect(tree.find('acme/l3')).toBeUndefined();
	});

	test('the rate settles at the true message rate and decays when messages stop', () => {
		const tree = new TopicTree();
		// 10 messages per second for 60 s (six time constants).
		for (let t = 0; t <= 60_000; t += 100) tree.record('acme/x', t);
		const node = tree.find('acme/x')!;
		expect(rateAt(node, 60_000)).toBeCloseTo(10, 0);
		// One time constant of silence divides it by e.
		expect(rateAt(node, 60_000 + RATE_TAU_MS)).toBeCloseTo(rateAt(node, 60_000) / Math.E, 5);
	});
});
