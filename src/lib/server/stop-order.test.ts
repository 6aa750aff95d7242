import { describe, expect, test } from 'vitest';
import { StopOrder } from './stop-order';
import { createLogger } from './log';
import { captureLog } from './testing/capture-log';

describe('StopOrder', () => {
	test('parts stop in the reverse of the order they started, one at a time', async () => {
		const parts = new StopOrder(createLogger('silent'));
		const events: string[] = [];
		for (const name of ['storage', 'engines', 'connector']) {
			parts.started(name, name, async (part) => {
				events.push(`${part} stopping`);
				await new Promise((r) => setTimeout(r, 5));
				events.push(`${part} stopped`);
			});
		}
		expect(parts.stopSequence).toEqual(['connector', 'engines', 'storage']);
		await parts.stopAll();
		expect(events).toEqual(['connector stopping', 'connector stopped', 'engines stopping', 'engines stopped', 'storage stopping', 'storage stopped']);
	});

	test('started() hands back the part, so a start reads as one line', () => {
		const parts = new StopOrder(createLogger('silent'));
		const part = { id: 1 };
		expect(parts.started('part', part, () => {})).toBe(part);
	});

	test('a part that fails to stop is logged by name, and the parts started before it still stop', async () => {
		const { log, lines } = captureLog();
		const parts = new StopOrder(log);
		const stopped: string[] = [];
		parts.started('storage', null, () => void stopped.push('storage'));
		parts.started('broken', null, () => {
			throw new Error('socket already gone');
		});
		parts.started('connector', null, async () => {
			stopped.push('connector');
			throw new Error('timeout');
		});
		await parts.stopAll();
		expect(stopped).toEqual(['connector', 'storage']);
		expect(lines().filter((l) => l.msg === 'stop failed').map((l) => l.part)).toEqual(['connector', 'broken']);
	});

	test('stopping twice stops each part once', async () => {
		const parts = new StopOrder(createLogger('silent'));
		let stops = 0;
		parts.started('part', null, () => void stops++);
		await Promise.all([parts.stopAll(), parts.stopAll()]);
		await parts.stopAll();
		expect(stops).toBe(1);
	});
});

test('parts started with `first` stop before all others, last started first among them too', async () => {
	const parts = new StopOrder(createLogger('silent'));
	const stopped: string[] = [];
	for (const [name, first] of [['storage', false], ['engine a', true], ['engine b', true], ['connector', false], ['intake', true]] as const) {
		parts.started(name, name, (n) => void stopped.push(n), { first });
	}
	expect(parts.stopSequence).toEqual(['intake', 'engine b', 'engine a', 'connector', 'storage']);
	await parts.stopAll();
	expect(stopped).toEqual(parts.stopSequence);
});
