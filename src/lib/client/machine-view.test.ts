import { describe, expect, test } from 'vitest';
import type { MachineState, MachineView, TagView } from '$lib/shared/plant-view';
import { machineTags, reasonText, valueTrust, type ReasonTexts } from './machine-view';

const tag = (id: string, kind: TagView['kind']): TagView => ({ id, path: `p/${id}`, kind, label: { en: id, nl: id } });

describe('machineTags', () => {
	test('sorts tags by role, keeping their order; the first state, reason and speed tag count', () => {
		const machine = {
			tags: [
				tag('temp', 'process'),
				tag('state', 'state'),
				tag('good', 'counter'),
				tag('state2', 'state'),
				tag('reason', 'reason'),
				tag('speed', 'speed'),
				tag('reject', 'counter'),
				tag('pressure', 'process')
			]
		} as unknown as MachineView;
		const t = machineTags(machine);
		expect(t.state?.id).toBe('state');
		expect(t.reason?.id).toBe('reason');
		expect(t.speed?.id).toBe('speed');
		expect(t.counters.map((x) => x.id)).toEqual(['good', 'reject']);
		expect(t.process.map((x) => x.id)).toEqual(['temp', 'pressure']);
	});
	test('a machine without such tags has none', () => {
		const t = machineTags({ tags: [] } as unknown as MachineView);
		expect(t).toEqual({ state: undefined, reason: undefined, speed: undefined, counters: [], process: [] });
	});
});

describe('reasonText', () => {
	const labels: Record<string, string> = { 'plant:reason.12': 'Bottle jam', 'machine.reason': 'Reason' };
	const texts: ReasonTexts = { has: (k) => k in labels, t: (k) => labels[k] ?? k };
	test.each([
		['fault', 12, 'Bottle jam'],
		['starved', 12, 'Bottle jam'],
		['blocked', 99, 'Reason 99'],
		['running', 12, null],
		[null, 12, null],
		['fault', 0, null],
		['fault', '12', null],
		['fault', undefined, null]
	] as [MachineState | null, unknown, string | null][])('state %s, code %s → %s', (state, code, expected) => {
		expect(reasonText(state, code, texts)).toBe(expected);
	});
});

describe('valueTrust', () => {
	test.each([
		// Before the first value, whatever the reason (socket connecting, snapshot on its way): waiting, not stale.
		[false, 'offline', 'waiting'],
		[false, 'novalue', 'waiting'],
		[false, 'source', 'waiting'],
		// A value that arrived and is no longer trusted stays stale (or bad) as before.
		[true, 'offline', 'stale'],
		[true, 'source', 'stale'],
		[true, 'stale', 'stale'],
		[true, 'age', 'stale'],
		[true, 'bad', 'bad'],
		[true, null, 'good']
	] as const)('has a value: %s, staleness %s → %s', (hasValue, reason, trust) => {
		expect(valueTrust(hasValue, reason)).toBe(trust);
	});
});
