import { describe, expect, test } from 'vitest';
import type { AlarmDisplayState } from '$lib/shared/alarms';
import { displayState, initialAlarmState, type AlarmDefinition, type AlarmEffect, type AlarmEvent, type AlarmState } from './model';
import { transition, type AlarmLimits } from './transition';

const T0 = 1_000_000;
const MIN = 60_000;
const limits: AlarmLimits = { maxShelveMs: 480 * MIN, chatterCount: 3, chatterWindowMs: 60_000 };

/** Product temperature high: limit 10 °C, deadband 0.5, on-delay 5 s, off-delay 3 s. */
const high: AlarmDefinition = {
	id: 'acme/l1/filler/_alarms/product_temperature_h',
	lineId: 'l1',
	machineId: 'filler',
	trigger: { kind: 'limit', tagPath: 'acme/l1/filler/product_temperature', direction: 'high', limit: 10, deadband: 0.5 },
	priority: 2,
	latching: false,
	onDelayMs: 5000,
	offDelayMs: 3000,
	message: { en: 'Product temperature high', nl: 'Producttemperatuur hoog' }
};
const low: AlarmDefinition = { ...high, trigger: { ...high.trigger, direction: 'low', limit: 4 } as AlarmDefinition['trigger'] };
const instant: AlarmDefinition = { ...high, onDelayMs: 0, offDelayMs: 0 };
const latching: AlarmDefinition = { ...instant, latching: true };
const fault: AlarmDefinition = { ...instant, trigger: { kind: 'discrete', tagPath: 'acme/l1/filler/state', equals: ['fault'] } };
const comms: AlarmDefinition = { ...high, onDelayMs: 10_000, offDelayMs: 0, trigger: { kind: 'comms', sourceId: 'opcua-l1' } };

type Step = [atMs: number, event: AlarmEvent];
const v = (value: unknown, detail?: unknown): AlarmEvent => ({ type: 'value', value, detail }) as AlarmEvent;
const tick: AlarmEvent = { type: 'tick' };
const ack: AlarmEvent = { type: 'ack', user: 'anna', comment: 'checked cooler' };

/** Runs steps from a fresh state; returns the final state, its display state, and every effect in order. */
function run(def: AlarmDefinition, steps: Step[], start: AlarmState = initialAlarmState(T0)) {
	let state = start;
	const effects: AlarmEffect[] = [];
	const shown: AlarmDisplayState[] = [];
	for (const [at, event] of steps) {
		const [next, fx] = transition(def, limits, state, event, T0 + at);
		state = next;
		effects.push(...fx);
		shown.push(displayState(state));
	}
	return { state, shown, effects, final: displayState(state) };
}

/** A short form of the effects: journal `from>to[:action]`, `!p<priority>` for annunciation, `x:<code>` for rejections. */
function fx(effects: AlarmEffect[]): string[] {
	return effects.map((e) =>
		e.type === 'journal' ? `${e.from}>${e.to}${e.action ? `:${e.action}` : ''}` : e.type === 'annunciate' ? `!p${e.priority}` : `x:${e.code}`
	);
}

const activeUnacked: Step[] = [[0, v(10.2)], [5000, tick]];

describe('limit alarm: deadband and delays', () => {
	test.each<[string, AlarmDefinition, Step[], AlarmDisplayState, string[]]>([
		['below the limit stays normal', high, [[0, v(9.9)], [10_000, tick]], 'normal', []],
		['at the limit, before the on-delay: still normal', high, [[0, v(10)], [4999, tick]], 'normal', []],
		['at the limit for the on-delay: unacknowledged and annunciated', high, [[0, v(10)], [5000, tick]], 'unack_active', ['normal>unack_active', '!p2']],
		['a dip below the limit restarts the on-delay', high, [[0, v(10.5)], [3000, v(9.9)], [4000, v(10.5)], [8000, tick]], 'normal', []],
		['…and it activates a full on-delay after the last rise', high, [[0, v(10.5)], [3000, v(9.9)], [4000, v(10.5)], [9000, tick]], 'unack_active', ['normal>unack_active', '!p2']],
		['inside the deadband it stays active', high, [...activeUnacked, [6000, v(9.6)], [20_000, tick]], 'unack_active', ['normal>unack_active', '!p2']],
		['below limit − deadband for the off-delay: returned, unacknowledged', high, [...activeUnacked, [6000, v(9.4)], [9000, tick]], 'rtn_unack', ['normal>unack_active', '!p2', 'unack_active>rtn_unack']],
		['below limit − deadband, before the off-delay: still active', high, [...activeUnacked, [6000, v(9.4)], [8999, tick]], 'unack_active', ['normal>unack_active', '!p2']],
		['low alarm mirrors it: on at ≤ 4', low, [[0, v(4)], [5000, tick]], 'unack_active', ['normal>unack_active', '!p2']],
		['low alarm stays on up to limit + deadband', low, [[0, v(3)], [5000, tick], [6000, v(4.4)], [20_000, tick]], 'unack_active', ['normal>unack_active', '!p2']],
		['low alarm clears above limit + deadband', low, [[0, v(3)], [5000, tick], [6000, v(4.6)], [9000, tick]], 'rtn_unack', ['normal>unack_active', '!p2', 'unack_active>rtn_unack']],
		['a value that is not a number changes nothing', instant, [[0, v(11)], [1000, v('n/a')], [2000, v(null)]], 'unack_active', ['normal>unack_active', '!p2']]
	])('%s', (_name, def, steps, final, effects) => {
		const result = run(def, steps);
		expect(result.final).toBe(final);
		expect(fx(result.effects)).toEqual(effects);
	});
});

describe('acknowledge', () => {
	test.each<[string, Step[], AlarmDisplayState, string[]]>([
		['unack active → ack active', [...activeUnacked, [6000, ack]], 'ack_active', ['normal>unack_active', '!p2', 'unack_active>ack_active:ack']],
		['ack active returns to normal', [...activeUnacked, [6000, ack], [7000, v(9)], [10_000, tick]], 'normal', ['normal>unack_active', '!p2', 'unack_active>ack_active:ack', 'ack_active>normal']],
		['returned unack → normal', [...activeUnacked, [6000, v(9)], [9000, tick], [9500, ack]], 'normal', ['normal>unack_active', '!p2', 'unack_active>rtn_unack', 'rtn_unack>normal:ack']],
		['returned unack becomes active again → unack active, annunciated again', [...activeUnacked, [6000, v(9)], [9000, tick], [9500, v(11)], [14_500, tick]], 'unack_active', ['normal>unack_active', '!p2', 'unack_active>rtn_unack', 'rtn_unack>unack_active', '!p2']],
		['nothing to acknowledge when normal', [[0, ack]], 'normal', ['x:alarm.nothing_to_ack']],
		['nothing to acknowledge when already acknowledged', [...activeUnacked, [6000, ack], [7000, ack]], 'ack_active', ['normal>unack_active', '!p2', 'unack_active>ack_active:ack', 'x:alarm.nothing_to_ack']]
	])('%s', (_name, steps, final, effects) => {
		const result = run(high, steps);
		expect(result.final).toBe(final);
		expect(fx(result.effects)).toEqual(effects);
	});

	test('the journal entry carries user and comment; a rejected action returns the very same state', () => {
		const { state, effects } = run(high, [...activeUnacked, [6000, ack]]);
		expect(effects.at(-1)).toEqual({ type: 'journal', from: 'unack_active', to: 'ack_active', action: 'ack', user: 'anna', comment: 'checked cooler' });
		const [again, fx2] = transition(high, limits, state, ack, T0 + 7000);
		expect(again).toBe(state);
		expect(fx2).toEqual([{ type: 'rejected', code: 'alarm.nothing_to_ack' }]);
	});
});

describe('latching', () => {
	const reset: AlarmEvent = { type: 'reset', user: 'piet' };
	test.each<[string, Step[], AlarmDisplayState, string[]]>([
		['a cleared latching alarm stays latched', [[0, v(11)], [1000, v(9)]], 'latched', ['normal>unack_active', '!p2', 'unack_active>latched']],
		['reset of a latched alarm → normal', [[0, v(11)], [1000, v(9)], [2000, reset]], 'normal', ['normal>unack_active', '!p2', 'unack_active>latched', 'latched>normal:reset']],
		['reset while still active is refused', [[0, v(11)], [1000, reset]], 'unack_active', ['normal>unack_active', '!p2', 'x:alarm.still_active']],
		['acknowledged and cleared: still latched until reset', [[0, v(11)], [500, ack], [1000, v(9)]], 'latched', ['normal>unack_active', '!p2', 'unack_active>ack_active:ack', 'ack_active>latched']],
		['a latched alarm that comes back is active and unacknowledged', [[0, v(11)], [500, ack], [1000, v(9)], [2000, v(12)]], 'unack_active', ['normal>unack_active', '!p2', 'unack_active>ack_active:ack', 'ack_active>latched', 'latched>unack_active', '!p2']]
	])('%s', (_name, steps, final, effects) => {
		const result = run(latching, steps);
		expect(result.final).toBe(final);
		expect(fx(result.effects)).toEqual(effects);
	});

	test('reset of an alarm that is not latched is refused', () => {
		expect(fx(run(instant, [[0, reset]]).effects)).toEqual(['x:alarm.not_latched']);
	});
});

describe('shelving', () => {
	const shelve = (minutes: number | null): AlarmEvent => ({ type: 'shelve', user: 'piet', reason: 'sensor replaced', durationMs: minutes === null ? null : minutes * MIN });
	const unshelve: AlarmEvent = { type: 'unshelve', user: 'piet' };
	test.each<[string, Step[], AlarmDisplayState, string[]]>([
		['timed shelve hides an active alarm', [...activeUnacked, [6000, shelve(10)]], 'shelved', ['normal>unack_active', '!p2', 'unack_active>shelved:shelve']],
		['it expires at its time; the still-active alarm is annunciated again', [...activeUnacked, [6000, shelve(10)], [6000 + 10 * MIN - 1, tick], [6000 + 10 * MIN, tick]], 'unack_active', ['normal>unack_active', '!p2', 'unack_active>shelved:shelve', 'shelved>unack_active:expire', '!p2']],
		['an alarm that activates while shelved is not annunciated', [[0, shelve(10)], [1000, v(11)], [6000, tick]], 'shelved', ['normal>shelved:shelve']],
		['…and shows unacknowledged once unshelved', [[0, shelve(10)], [1000, v(11)], [6000, tick], [7000, unshelve]], 'unack_active', ['normal>shelved:shelve', 'shelved>unack_active:unshelve', '!p2']],
		['a shelve longer than the maximum is refused', [...activeUnacked, [6000, shelve(481)]], 'unack_active', ['normal>unack_active', '!p2', 'x:alarm.shelve_too_long']],
		['shelving twice is refused', [[0, shelve(10)], [1000, shelve(10)]], 'shelved', ['normal>shelved:shelve', 'x:alarm.already_shelved']],
		['unshelve when not shelved is refused', [[0, unshelve]], 'normal', ['x:alarm.not_shelved']],
		['one-shot shelve of an active alarm', [...activeUnacked, [6000, shelve(null)]], 'shelved', ['normal>unack_active', '!p2', 'unack_active>shelved:shelve']],
		['one-shot ends when the alarm returns to normal, with nothing to acknowledge', [...activeUnacked, [6000, shelve(null)], [7000, v(9)], [10_000, tick]], 'normal', ['normal>unack_active', '!p2', 'unack_active>shelved:shelve', 'shelved>normal']],
		['one-shot of an alarm that is not active is refused', [[0, shelve(null)]], 'normal', ['x:alarm.not_active']],
		['acknowledging a shelved alarm is refused', [...activeUnacked, [6000, shelve(10)], [7000, ack]], 'shelved', ['normal>unack_active', '!p2', 'unack_active>shelved:shelve', 'x:alarm.hidden']]
	])('%s', (_name, steps, final, effects) => {
		const result = run(high, steps);
		expect(result.final).toBe(final);
		expect(fx(result.effects)).toEqual(effects);
	});
});

describe('out of service and suppression by design', () => {
	const oos: AlarmEvent = { type: 'out_of_service', user: 'piet', reason: 'transmitter removed' };
	const back: AlarmEvent = { type: 'return_to_service', user: 'piet' };
	const suppress = (on: boolean): AlarmEvent => ({ type: 'suppress', on });
	test.each<[string, AlarmDefinition, Step[], AlarmDisplayState, string[]]>([
		['out of service hides an active alarm', high, [...activeUnacked, [6000, oos]], 'out_of_service', ['normal>unack_active', '!p2', 'unack_active>out_of_service:out_of_service']],
		['activations while out of service are not annunciated', instant, [[0, oos], [1000, v(11)], [2000, v(9)], [3000, v(12)]], 'out_of_service', ['normal>out_of_service:out_of_service']],
		['back in service while active → unacknowledged, annunciated', instant, [[0, oos], [1000, v(11)], [2000, back]], 'unack_active', ['normal>out_of_service:out_of_service', 'out_of_service>unack_active:return_to_service', '!p2']],
		['back in service while normal → normal', instant, [[0, oos], [2000, back]], 'normal', ['normal>out_of_service:out_of_service', 'out_of_service>normal:return_to_service']],
		['return to service when in service is refused', instant, [[0, back]], 'normal', ['x:alarm.in_service']],
		['out of service twice is refused', instant, [[0, oos], [1, oos]], 'out_of_service', ['normal>out_of_service:out_of_service', 'x:alarm.already_out_of_service']],
		['suppressed by design: no annunciation while suppressed', instant, [[0, suppress(true)], [1000, v(11)]], 'suppressed', ['normal>suppressed']],
		['suppression ends with the alarm active → unacknowledged, annunciated', instant, [[0, suppress(true)], [1000, v(11)], [2000, suppress(false)]], 'unack_active', ['normal>suppressed', 'suppressed>unack_active', '!p2']],
		['suppression ends after an unseen activation cleared → returned unacknowledged', instant, [[0, suppress(true)], [1000, v(11)], [1500, v(9)], [2000, suppress(false)]], 'rtn_unack', ['normal>suppressed', 'suppressed>rtn_unack']],
		['out of service wins over shelved and suppressed', instant, [[0, suppress(true)], [1, { type: 'shelve', user: 'p', reason: 'r', durationMs: MIN }], [2, oos]], 'out_of_service', ['normal>suppressed', 'suppressed>suppressed:shelve', 'suppressed>out_of_service:out_of_service']]
	])('%s', (_name, def, steps, final, effects) => {
		const result = run(def, steps);
		expect(result.final).toBe(final);
		expect(fx(result.effects)).toEqual(effects);
	});
});

describe('discrete and communication alarms', () => {
	test('a fault activates with its reason code kept, and clears when the machine runs again', () => {
		const result = run(fault, [[0, v('running', 0)], [1000, v('fault', 201)], [2000, v('fault', 205)], [3000, v('running', 0)]]);
		expect(result.shown).toEqual(['normal', 'unack_active', 'unack_active', 'rtn_unack']);
		expect(result.state.detail).toBe(201);
	});

	test.each<[string, Step[], unknown]>([
		['a reason code that arrives just after the fault is taken', [[0, v('fault', 0)], [300, { type: 'detail', value: 205 }]], 205],
		['one that arrives later does not replace it', [[0, v('fault', 201)], [2001, { type: 'detail', value: 205 }]], 201],
		['no detail is kept while the alarm is not active', [[0, { type: 'detail', value: 205 }]], null]
	])('%s', (_name, steps, detail) => {
		expect(run(fault, steps).state.detail).toBe(detail);
	});

	test('comms lost after its on-delay; a reconnect within the delay raises nothing', () => {
		expect(run(comms, [[0, v('disconnected')], [9999, tick], [9999, v('connected')], [20_000, tick]]).effects).toEqual([]);
		expect(run(comms, [[0, v('connecting')], [10_000, tick]]).final).toBe('unack_active');
	});
});

describe('chattering', () => {
	test('3 activations within 60 s flag the alarm; the flag clears when they age out of the window', () => {
		const steps: Step[] = [[0, v(11)], [1000, v(9)], [20_000, v(11)], [21_000, v(9)], [40_000, v(11)]];
		const result = run(instant, steps);
		expect(result.state.chattering).toBe(true);
		expect(run(instant, steps.slice(0, 3)).state.chattering).toBe(false);
		const [later] = transition(instant, limits, result.state, tick, T0 + 60_001);
		expect(later.chattering).toBe(false);
		expect(later.activations).toEqual([T0 + 20_000, T0 + 40_000]);
	});
});
