import { describe, expect, test } from 'vitest';
import { publishTopic } from './uns-api';

const answer = (status: number, body: unknown): typeof fetch => (async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })) as typeof fetch;
const input = { topic: 'cmd/acme/x', payload: '1', qos: 1 as const, retain: false };

describe('UNS publish from the browser', () => {
	test.each([
		['a protected topic', 403, { code: 'HMI_ERR_UNS_PUBLISH_PROTECTED' }, 'errors.HMI_ERR_UNS_PUBLISH_PROTECTED'],
		['a publish the broker did not confirm', 502, { code: 'HMI_ERR_UNS_PUBLISH_TIMEOUT' }, 'errors.HMI_ERR_UNS_PUBLISH_TIMEOUT'],
		['a role that may not publish', 403, { code: 'HMI_ERR_FORBIDDEN' }, 'errors.HMI_ERR_FORBIDDEN'],
		['an unknown code', 502, { code: 'SOMETHING_ELSE' }, 'uns.error.failed'],
		['the broker away', 503, { code: 'HMI_ERR_UNAVAILABLE' }, 'uns.error.unavailable'],
		['a bad body', 400, { code: 'HMI_ERR_BAD_REQUEST' }, 'uns.error.invalid'],
		// Codes that are not the UNS screen's own still show their text, not a guess from the status.
		['the database away (the session cannot be checked)', 503, { code: 'HMI_ERR_STORAGE' }, 'errors.HMI_ERR_STORAGE'],
		['a page that is not ours', 403, { code: 'HMI_ERR_ORIGIN_NOT_ALLOWED' }, 'errors.HMI_ERR_ORIGIN_NOT_ALLOWED'],
		['a connection that broke during the publish', 502, { code: 'HMI_ERR_UNS_PUBLISH_FAILED' }, 'errors.HMI_ERR_UNS_PUBLISH_FAILED']
	])('%s shows its own text', async (_what, status, body, key) => {
		expect(await publishTopic(input, answer(status, body))).toEqual({ ok: false, key });
	});
});
