import { describe, expect, test } from 'vitest';
import { orderProgress, OrderSamples } from './order';

const MIN = 60_000;
const base = { number: 'WO-26-0417', product: 'Cola 0.5 l PET', target: 10_000, startedAt: 0 };

describe('orderProgress', () => {
	test.each<[string, number, [number, number][], number, Partial<ReturnType<typeof orderProgress>>]>([
		['400 good per minute, 4,000 to go → finishes in 10 minutes', 6000, [[0, 2000], [10 * MIN, 6000]], 10 * MIN, { progress: 0.6, ratePerMin: 400, estimatedFinish: 20 * MIN }],
		['only the last ten minutes count', 6000, [[0, 0], [5 * MIN, 3500], [15 * MIN, 6000]], 15 * MIN, { ratePerMin: 250, estimatedFinish: 15 * MIN + 16 * MIN }],
		['less than a minute of data: no rate yet', 100, [[0, 50], [30_000, 100]], 30_000, { ratePerMin: null, estimatedFinish: null }],
		['standing still: rate 0, no finish time', 6000, [[0, 6000], [5 * MIN, 6000]], 5 * MIN, { ratePerMin: 0, estimatedFinish: null }],
		['target reached: progress 1, no finish time', 10_050, [[0, 9000], [5 * MIN, 10_050]], 5 * MIN, { progress: 1, estimatedFinish: null }]
	])('%s', (_name, good, samples, now, expected) => {
		expect(orderProgress({ ...base, good, samples }, now)).toMatchObject(expected);
	});
});

describe('OrderSamples', () => {
	test('a new order number starts the rate afresh; old readings fall out of the window', () => {
		const samples = new OrderSamples();
		samples.add('A', 0, 100);
		samples.add('A', 5 * MIN, 200);
		samples.add('B', 6 * MIN, 0);
		expect(samples.samples).toEqual([[6 * MIN, 0]]);
		for (let m = 7; m <= 30; m++) samples.add('B', m * MIN, m);
		expect(samples.samples[0][0]).toBeGreaterThanOrEqual(20 * MIN - MIN);
	});
});
