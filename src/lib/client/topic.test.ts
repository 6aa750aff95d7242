import { expect, test } from 'vitest';
import { anyMatches, topicMatches } from './topic';

test.each([
	['acme/#', 'acme/utrecht/packaging/line1/filler/speed', true],
	['acme/#', 'acme', true],
	['acme/#', 'other/x', false],
	['_sys/#', '_sys/sources/mqtt/state', true],
	['_sys/sources/+/state', '_sys/sources/mqtt/state', true],
	['_sys/sources/+/state', '_sys/sources/mqtt/x/state', false],
	['a/+', 'a', false],
	['a/b', 'a/b', true],
	['a/b', 'a/b/c', false],
	['#', 'anything/at/all', true],
	['+/+', 'a/b', true]
])('%s matches %s: %s', (pattern, path, expected) => {
	expect(topicMatches(pattern, path)).toBe(expected);
});

test('anyMatches', () => {
	expect(anyMatches(['x/#', 'acme/#'], 'acme/a')).toBe(true);
	expect(anyMatches([], 'acme/a')).toBe(false);
});
