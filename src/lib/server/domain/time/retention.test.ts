import { describe, expect, test } from 'vitest';
import { PRUNE_MAX_SHARE, pruneCutoff, pruneLimit } from './retention';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 24);

describe('retention', () => {
	test.each([
		['the newest row is from now: retention counts back from now', NOW, NOW, NOW - 90 * DAY],
		['the clock jumped ten years ahead: counts back from the newest row', NOW + 3650 * DAY, NOW - 2 * DAY, NOW - 92 * DAY],
		['a row is stamped in the future: counts back from now', NOW, NOW + 3650 * DAY, NOW - 90 * DAY]
	])('cutoff: %s', (_case, now, newest, cutoff) => {
		expect(pruneCutoff(now, newest, 90 * DAY)).toBe(cutoff);
	});

	test('an empty table has no cutoff', () => {
		expect(pruneCutoff(NOW, null, DAY)).toBeNull();
	});

	test.each([
		[0, 0],
		[1, 1],
		[100, Math.ceil(100 * PRUNE_MAX_SHARE)],
		[1_000_000, 1_000_000 * PRUNE_MAX_SHARE]
	])('of %i rows at most %i go in one prune', (rows, limit) => {
		expect(pruneLimit(rows)).toBe(limit);
	});
});
