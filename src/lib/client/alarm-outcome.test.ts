import { describe, expect, test } from 'vitest';
import { actionKey, reportOutcome } from './alarm-outcome';

describe('reportOutcome', () => {
	test.each([
		['all done', [{ id: 'a', ok: true }, { id: 'b', ok: true }], 'ok', 2, []],
		[
			'some refused',
			[
				{ id: 'a', ok: true },
				{ id: 'b', ok: false, code: 'alarm.nothing_to_ack' }
			],
			'partial',
			1,
			[{ id: 'b', key: 'alarm.nothing_to_ack' }]
		],
		['all refused', [{ id: 'a', ok: false, code: 'alarm.hidden' }], 'refused', 0, [{ id: 'a', key: 'alarm.hidden' }]],
		[
			'a code without a text, or none',
			[
				{ id: 'a', ok: false, code: 'alarm.brand_new' },
				{ id: 'b', ok: false }
			],
			'refused',
			0,
			[
				{ id: 'a', key: 'alarm.unknown' },
				{ id: 'b', key: 'alarm.unknown' }
			]
		]
	] as const)('%s', (_name, results, tone, done, refused) => {
		expect(reportOutcome('ack', { ok: true, results: [...results] })).toEqual({ action: 'ack', tone, done, queued: 0, refused });
	});

	test('done, but the journal rows wait: the database refuses writes', () => {
		const results = [
			{ id: 'a', ok: true, journal: 'queued' as const },
			{ id: 'b', ok: true, journal: 'written' as const },
			{ id: 'c', ok: false, code: 'alarm.nothing_to_ack' }
		];
		expect(reportOutcome('ack', { ok: true, results })).toMatchObject({ tone: 'partial', done: 2, queued: 1 });
	});

	test('a failed request', () => {
		expect(reportOutcome('reset', { ok: false, key: 'errors.HMI_ERR_FORBIDDEN' })).toEqual({
			action: 'reset',
			tone: 'error',
			done: 0,
			queued: 0,
			refused: [],
			errorKey: 'errors.HMI_ERR_FORBIDDEN'
		});
	});

	test('action names as key suffixes', () => {
		expect(actionKey('out-of-service')).toBe('out_of_service');
		expect(actionKey('return_to_service')).toBe('return_to_service');
	});
});
