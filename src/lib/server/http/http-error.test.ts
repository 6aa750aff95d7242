import { isHttpError } from '@sveltejs/kit';
import { describe, expect, test } from 'vitest';
import { httpError, httpErrorResponse } from './http-error';

function thrown(fn: () => unknown): unknown {
	try {
		fn();
	} catch (err) {
		return err;
	}
	throw new Error('nothing was thrown');
}

describe('httpError', () => {
	test.each([
		['HMI_ERR_NOT_JSON', 415],
		['HMI_ERR_UNS_PUBLISH_TIMEOUT', 502],
		['HMI_ERR_SETPOINT_OUTCOME_UNKNOWN', 504],
		['HMI_ERR_HOST_NOT_ALLOWED', 421]
	] as const)('%s answers %i with {message, code}', (code, status) => {
		const err = thrown(() => httpError(code, 'why'));
		expect(isHttpError(err)).toBe(true);
		expect(err).toMatchObject({ status, body: { message: 'why', code } });
	});

	test('extra fields travel in the body, and the message defaults to the code', () => {
		expect(thrown(() => httpError('HMI_ERR_BAD_REQUEST', undefined, { field: 'limit' }))).toMatchObject({
			status: 400,
			body: { message: 'HMI_ERR_BAD_REQUEST', code: 'HMI_ERR_BAD_REQUEST', field: 'limit' }
		});
	});

	test('the Response form for hooks says the same', async () => {
		const res = httpErrorResponse('HMI_ERR_STORAGE', 'disk gone', { 'cache-control': 'no-store' });
		expect(res.status).toBe(503);
		expect(res.headers.get('cache-control')).toBe('no-store');
		expect(await res.json()).toEqual({ message: 'disk gone', code: 'HMI_ERR_STORAGE' });
	});
});
