import { expect, test } from 'vitest';
import type { HealthReport } from '$lib/server/runtime';
import { publicHealth } from './public-health';

test('the public report keeps state, since and counts per source and the storage\'s state word, and drops detail, errors, paths and hub figures', () => {
	const report = {
		status: 'degraded',
		uptimeS: 42,
		tags: 130,
		hub: { clients: 3 },
		storage: { state: 'failing', file: '/srv/hmi/data/hmi.db', writes: { lastError: { message: 'database or disk is full' } } },
		sources: {
			'opcua-line1': {
				state: 'disconnected',
				since: 1_700_000_000_000,
				messages: 12,
				malformed: { BadNodeIdUnknown: 2 },
				lastMessageAt: 1_699_999_999_000,
				lastError: 'the OPC UA server refused user hmi-svc: wrong user name or password',
				detail: { endpoint: 'opc.tcp://plc1:4840', securityMode: 'Sign', user: 'hmi-svc' }
			}
		}
	} as unknown as HealthReport;
	expect(publicHealth(report)).toEqual({
		status: 'degraded',
		uptimeS: 42,
		sources: { 'opcua-line1': { state: 'disconnected', since: 1_700_000_000_000, messages: 12, malformed: { BadNodeIdUnknown: 2 } } },
		storage: 'failing'
	});
});
