import { expect, test } from 'vitest';
import { machineTags } from './model/plant.js';
import { PUBLISH_LIMITS, deadbandOf, shouldPublish, type LastPublished } from './publish-policy.js';

const def = (machine: 'filler' | 'capper', tag: string) => machineTags(machine).find((d) => d.id === tag)!;

test.each([
	['speed', 'filler', 0.62],
	['product_temperature', 'filler', 0.006],
	['torque', 'capper', 0.001],
	['state', 'filler', 0],
	['count_total', 'filler', 0]
] as const)('deadband of %s is %d', (tag, machine, deadband) => {
	expect(deadbandOf(def(machine, tag))).toBeCloseTo(deadband, 9);
});

const at = (value: number | string, wallMs: number): LastPublished => ({ value, wallMs });

test.each<[string, LastPublished | undefined, number | string, number, number, boolean]>([
	['never published', undefined, 5, 0, 0.1, true],
	['unchanged, recently published', at(5, 0), 5, 4_999, 0.1, false],
	['unchanged, heartbeat due', at(5, 0), 5, PUBLISH_LIMITS.heartbeatMs, 0.1, true],
	['analog change within deadband, just published', at(5, 0), 5.05, 200, 0.1, false],
	['analog change within deadband, quiet for 1 s', at(5, 0), 5.05, PUBLISH_LIMITS.maxQuietWhileChangingMs, 0.1, true],
	['analog change beyond deadband', at(5, 0), 5.2, 100, 0.1, true],
	['counter step', at(41, 0), 42, 100, 0, true],
	['state change', at('running', 0), 'fault', 100, 0, true],
	['state unchanged', at('running', 0), 'running', 100, 0, false]
])('%s', (_name, last, value, now, deadband, expected) => {
	expect(shouldPublish(last, value, now, deadband)).toBe(expected);
});
