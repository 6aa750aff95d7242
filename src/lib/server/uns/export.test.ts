import { describe, expect, test } from 'vitest';
import { UnsTree } from '../domain/uns/uns-tree';
import { rowsToCsv, subtreeValues } from './export';

const NOW = 1_800_000_000_000;
const enc = (s: string) => new TextEncoder().encode(s);

describe('CSV export of a subtree', () => {
	// Any publisher chooses topic values: a cell that starts like a formula must not run in a spreadsheet.
	test.each([
		['=HYPERLINK("http://evil","x")', `"'=HYPERLINK(""http://evil"",""x"")"`],
		['+1+2', "'+1+2"],
		['-3', "'-3"],
		['@SUM(A1)', "'@SUM(A1)"],
		['\tx', "'\tx"],
		['12.5', '12.5'],
		['{"a":1,"b":2}', '"{""a"":1,""b"":2}"']
	])('value %j is written as %s', (value, cell) => {
		const tree = new UnsTree();
		tree.record('acme/a', { now: NOW, origin: 'mqtt', payload: enc(value) });
		const { rows } = subtreeValues(tree.root);
		const lines = rowsToCsv(rows).split('\r\n');
		expect(lines[0]).toBe('topic,value,kind,ts_ms,origin,retained,warnings,stale');
		expect(lines[1].startsWith(`acme/a,${cell},`)).toBe(true);
	});

	test('a topic name that starts like a formula is neutralised too', () => {
		const tree = new UnsTree();
		tree.record('=cmd/x', { now: NOW, origin: 'mqtt', payload: enc('1') });
		const csv = rowsToCsv(subtreeValues(tree.root).rows);
		expect(csv.split('\r\n')[1].startsWith("'=cmd/x,1,")).toBe(true);
	});

	test('a value that is not current says so in its own column', () => {
		const tree = new UnsTree();
		tree.record('acme/a', { now: NOW, origin: 'opcua-line1', value: 1 });
		tree.record('acme/b', { now: NOW, origin: 'opcua-line1', value: 2 });
		tree.setStale('acme/b', true);
		const { rows } = subtreeValues(tree.root);
		expect(rows.map((r) => [r.topic, r.stale])).toEqual([
			['acme/a', false],
			['acme/b', true]
		]);
		expect(rowsToCsv(rows).split('\r\n').slice(1, 3).map((l) => l.split(',').at(-1))).toEqual(['0', '1']);
	});
});
