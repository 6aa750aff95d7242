import { describe, expect, test } from 'vitest';
import type { ServerMessage } from '$lib/shared/protocol';
import { alarmRecord } from '$lib/testing/alarm-record';
import { fakeSockets } from '$lib/testing/fake-socket';
import { LiveClient } from './live.svelte';
import { AlarmStore } from './alarms.svelte';

const FAULT = 'acme/utrecht/packaging/line2/capper/_alarms/fault';
const TEMP_H = 'acme/utrecht/packaging/line2/filler/_alarms/product_temperature_h';
const TEMP = 'acme/utrecht/packaging/line2/filler/product_temperature';

/** A live client on a fake socket that has answered its subscription with `u`. */
function connected(defs: [number, string][], u: [number, unknown][]) {
	const { connect, last } = fakeSockets();
	const live = new LiveClient({ connect });
	live.subscribe(['acme/#', '_sys/#']);
	live.start();
	last().open();
	const push = (msg: ServerMessage) => last().push(msg);
	push({ type: 'snapshot', id: last().lastSub().id, seq: 1, defs, u: u.map(([id, v]) => [id, v as never, 0, 1000]) });
	const store = new AlarmStore(live);
	let seq = 1;
	return {
		live,
		store,
		delta: (u: [number, unknown][], defs?: [number, string][]) =>
			push({ type: 'delta', seq: ++seq, ...(defs && { defs }), u: u.map(([id, v]) => [id, v as never, 0, 2000]) })
	};
}

describe('AlarmStore', () => {
	test('reads alarm records from alarm tags only, with their ids', () => {
		const { store, live } = connected(
			[
				[1, FAULT],
				[2, TEMP],
				[3, '_sys/alarms/flood']
			],
			[
				[1, alarmRecord()],
				[2, 7.5],
				[3, { active: false, count: 2 }]
			]
		);
		expect(store.all.map((a) => a.id)).toEqual([FAULT]);
		expect(store.all[0]).toMatchObject({ state: 'unack_active', detail: 201 });
		expect(store.summary.counts.high).toBe(1);
		expect(store.flood).toEqual({ active: false, count: 2 });
		expect(store.get(FAULT)?.priority).toBe(2);
		live.stop();
	});

	test('follows changes and alarms announced later', () => {
		const { store, delta, live } = connected([[1, FAULT]], [[1, alarmRecord()]]);
		expect(store.summary.newest?.id).toBe(FAULT);

		delta([[1, alarmRecord({ state: 'ack_active', acked: true })]]);
		expect(store.summary.counts.high).toBe(0);
		expect(store.summary.newest).toBeNull();

		delta([[2, alarmRecord({ priority: 3, machine: 'filler', activeSince: 3000, changedAt: 3000 })]], [[2, TEMP_H]]);
		expect(store.all.map((a) => a.id)).toEqual([FAULT, TEMP_H]);
		expect(store.summary.counts.medium).toBe(1);
		expect(store.summary.newest?.id).toBe(TEMP_H);

		delta([[3, { active: true, count: 11 }]], [[3, '_sys/alarms/flood']]);
		expect(store.flood).toEqual({ active: true, count: 11 });
		live.stop();
	});

	test('a malformed record is left out', () => {
		const { store, live } = connected([[1, FAULT]], [[1, { state: 'nonsense' }]]);
		expect(store.all).toEqual([]);
		live.stop();
	});
});
