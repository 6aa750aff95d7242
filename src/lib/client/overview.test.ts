import { describe, expect, test } from 'vitest';
import type { AlarmRecord } from '$lib/shared/alarms';
import type { MachineState } from '$lib/shared/plant-view';
import { alarmRecord } from '$lib/testing/alarm-record';
import { miniPlant } from '$lib/testing/mini-plant';
import type { Alarm } from './alarms';
import { attentionRank, byAttention, isStanding, lineState, worstAlarm, worstAlarmsByPlace } from './overview';

const FILLER = 'acme/utrecht/packaging/line1/filler';
const alarm = (id: string, patch: Partial<AlarmRecord> = {}): Alarm => ({ id, ...alarmRecord(patch) });

describe('isStanding', () => {
	test.each([
		['unack_active', true],
		['ack_active', true],
		['rtn_unack', true],
		['latched', true],
		['normal', false],
		['shelved', false],
		['suppressed', false],
		['out_of_service', false]
	] as const)('%s → %s', (state, standing) => {
		expect(isStanding({ state })).toBe(standing);
	});
});

describe('worstAlarm', () => {
	test('the most urgent priority wins, whatever the order it comes in', () => {
		const low = alarm('a', { priority: 3, state: 'unack_active' });
		const high = alarm('b', { priority: 1, state: 'ack_active' });
		expect(worstAlarm([low, high])?.id).toBe('b');
		expect(worstAlarm([high, low])?.id).toBe('b');
	});

	test('at the same priority an active alarm beats one that returned, then the newest wins', () => {
		const returned = alarm('a', { priority: 2, state: 'rtn_unack', active: false, activeSince: 3000 });
		const older = alarm('b', { priority: 2, state: 'unack_active', active: true, activeSince: 1000 });
		const newer = alarm('c', { priority: 2, state: 'unack_active', active: true, activeSince: 2000 });
		expect(worstAlarm([returned, older, newer])?.id).toBe('c');
		expect(worstAlarm([returned, older])?.id).toBe('b');
	});

	test('alarms back to normal or out of view do not count; none standing is null', () => {
		const shelved = alarm('a', { priority: 1, state: 'shelved' });
		const normal = alarm('b', { priority: 1, state: 'normal', active: false });
		expect(worstAlarm([shelved, normal])).toBeNull();
		expect(worstAlarm([shelved, alarm('c', { priority: 4, state: 'unack_active' })])?.id).toBe('c');
	});
});

test('worstAlarmsByPlace: a machine alarm counts for its machine and its line; a line alarm for the line only', () => {
	const machineAlarm = alarm(`${FILLER}/_alarms/fault`, { priority: 2, state: 'unack_active' });
	const lineAlarm = alarm('acme/utrecht/packaging/line1/_alarms/comms', { priority: 1, state: 'unack_active' });
	const places = worstAlarmsByPlace(miniPlant, [machineAlarm, lineAlarm]);
	expect(places.line.get('line1')?.id).toBe(lineAlarm.id);
	expect(places.machine.get(FILLER)?.id).toBe(machineAlarm.id);
	expect(places.machine.size).toBe(1);
});

describe('attention order of the tiles', () => {
	test('a fault first, then alarms by priority, then starved or blocked, then unknown, then normal', () => {
		const ranks = [
			attentionRank('running', null),
			attentionRank(null, null),
			attentionRank('starved', null),
			attentionRank('running', { priority: 3 }),
			attentionRank('running', { priority: 1 }),
			attentionRank('fault', null)
		];
		expect([...ranks].sort((a, b) => a - b)).toEqual([...ranks].reverse());
	});

	test('machines that need the same attention keep the line order', () => {
		const line = ['filler', 'capper', 'labeler', 'packer'];
		const states: Record<string, MachineState> = { filler: 'running', capper: 'blocked', labeler: 'fault', packer: 'blocked' };
		expect(byAttention(line, (m) => attentionRank(states[m], null))).toEqual(['labeler', 'capper', 'packer', 'filler']);
	});
});

describe('lineState', () => {
	test('a fault anywhere on the line is the line state; otherwise the constraint machine decides', () => {
		expect(lineState(new Map<string, MachineState | null>([['filler', 'running'], ['capper', 'fault']]), 'filler')).toBe('fault');
		expect(lineState(new Map<string, MachineState | null>([['filler', 'starved'], ['capper', 'running']]), 'filler')).toBe('starved');
		expect(lineState(new Map<string, MachineState | null>([['filler', null], ['capper', 'running']]), 'filler')).toBeNull();
	});
});
