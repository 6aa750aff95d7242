import { describe, expect, test } from 'vitest';
import { checkPath, checkPattern, compilePattern, matchesPattern } from './uns-path';

describe('checkPath', () => {
	test.each([
		['acme/utrecht/packaging/line1/filler/speed', true],
		['a', true],
		['', false],
		['/acme', false],
		['acme/', false],
		['acme//x', false],
		['acme/+/x', false],
		['acme/#', false],
		['acme/\u0000', false],
		['a'.repeat(1025), false]
	])('%j → valid %s', (path, ok) => {
		expect(checkPath(path).ok).toBe(ok);
	});
});

describe('checkPattern', () => {
	test.each([
		['acme/#', true],
		['#', true],
		['+/utrecht/+', true],
		['acme/+/packaging/#', true],
		['acme/#/x', false],
		['acme/x#', false],
		['acme/x+', false],
		['', false]
	])('%j → valid %s', (pattern, ok) => {
		expect(checkPattern(pattern).ok).toBe(ok);
	});
});

describe('matchesPattern', () => {
	test.each([
		['acme/#', 'acme/utrecht/packaging/line1/filler/speed', true],
		['acme/#', 'acme', true],
		['acme/#', 'acmex/y', false],
		['acme/+/packaging/#', 'acme/utrecht/packaging/line2/capper/torque', true],
		['acme/+/packaging/#', 'acme/utrecht/assembly/line2', false],
		['acme/+', 'acme/utrecht', true],
		['acme/+', 'acme/utrecht/packaging', false],
		['acme/+', 'acme', false],
		['acme/utrecht', 'acme/utrecht', true],
		['acme/utrecht', 'acme/utrecht2', false],
		['acme/utrecht', 'acme/utrech', false],
		['+/+', 'a/b', true],
		['#', 'anything/at/all', true],
		['#', '_sys/sources/mqtt/state', false],
		['+/sources/#', '_sys/sources/mqtt/state', false],
		['_sys/#', '_sys/sources/mqtt/state', true],
		['a/+/c', 'a//c', true]
	])('%s matches %s → %s', (pattern, path, expected) => {
		expect(matchesPattern(compilePattern(pattern), path)).toBe(expected);
	});
});
