import { describe, expect, test } from 'vitest';
import { parseServerMessage } from './server-message';

describe('parseServerMessage', () => {
	test.each([
		['{"type":"tree","nodes":[]}', { type: 'tree', nodes: [] }],
		['{"type":"error","code":"HMI_ERR_BUSY","message":"x"}', { type: 'error', code: 'HMI_ERR_BUSY', message: 'x' }],
		['not json', null],
		['null', null],
		['42', null],
		['"tree"', null],
		['{"nodes":[]}', null],
		['{"type":7}', null]
	])('%s → %j', (data, expected) => {
		expect(parseServerMessage(data)).toEqual(expected);
	});
});
