import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, test } from 'vitest';
import { DEFAULT_HISTORY_BUDGET_BYTES, ENTRY_OVERHEAD_BYTES, MIN_HISTORY, PREVIEW_CHARS, RATE_WINDOW_MS, rateAt, UnsTree } from './uns-tree';

/** A fake clock's start, on a rate window boundary so the worked numbers below stay round. */
const T0 = 1_800_000_000_000;
const enc = (s: string) => new TextEncoder().encode(s);
const json = (o: unknown) => enc(JSON.stringify(o));
const good = (v: number, ts = T0) => json({ value: v, timestamp_ms: ts });

describe('counts', () => {
	test('messages and child counts roll up to every ancestor; topics are counted once', () => {
		const tree = new UnsTree();
		const at = (path: string, now: number) => tree.record(path, { now, origin: 'mqtt', payload: good(1) });
		at('acme/l1/filler/speed', T0);
		at('acme/l1/filler/speed', T0 + 100);
		at('acme/l1/capper/speed', T0 + 200);
		at('acme/l2/filler/speed', T0 + 300);
		expect(tree.topicCount).toBe(3);
		expect(tree.root.messages).toBe(4);
		expect(tree.find('acme')!.messages).toBe(4);
		expect(tree.find('acme/l1')!.messages).toBe(3);
		expect(tree.find('acme/l1')!.children!.size).toBe(2);
		expect(tree.find('acme/l1/filler/speed')!.messages).toBe(2);
		expect(tree.find('acme/l1/filler')!.lastTs).toBe(T0 + 100);
		expect(tree.find('acme')!.lastTs).toBe(T0 + 300);
		expect(tree.find('acme/l3')).toBeUndefined();
		// Nodes: root, acme, l1, l2, filler, capper, l2/filler, 3 × speed.
		expect(tree.nodeCount).toBe(10);
	});

	test('a path with an empty level is not recorded', () => {
		const tree = new UnsTree();
		for (const bad of ['', 'a//b', '/a', 'a/']) expect(tree.record(bad, { now: T0, origin: 'mqtt' })).toBeUndefined();
		expect(tree.topicCount).toBe(0);
	});

	test('a full tree refuses new paths (counted) and keeps recording known ones', () => {
		const tree = new UnsTree({ maxNodes: 4 }); // root + a + a/b + a/c
		tree.record('a/b', { now: T0, origin: 'mqtt', value: 1 });
		tree.record('a/c', { now: T0, origin: 'mqtt', value: 1 });
		expect(tree.record('a/d', { now: T0, origin: 'mqtt', value: 1 })).toBeUndefined();
		expect(tree.record('x/y', { now: T0, origin: 'mqtt', value: 1 })).toBeUndefined();
		expect(tree.record('a/b', { now: T0, origin: 'mqtt', value: 2 })?.messages).toBe(2);
		expect([tree.nodeCount, tree.topicCount, tree.refused]).toEqual([4, 2, 2]);
	});

	test('the origin of each value is kept; a branch shows the origin of its latest value', () => {
		const tree = new UnsTree();
		tree.record('acme/l1/speed', { now: T0, origin: 'opcua-line1', value: 12.5 });
		tree.record('acme/l2/speed', { now: T0 + 1, origin: 'mqtt', payload: good(3) });
		expect(tree.find('acme/l1/speed')!.origin).toBe('opcua-line1');
		expect(tree.find('acme')!.origin).toBe('mqtt');
	});
});

describe('rate (fake clock)', () => {
	// 10 messages/s: one every 100 ms from T0 until `now` or T0 + 19.9 s (at most 200 messages).
	const steady = (now: number) => {
		const tree = new UnsTree();
		for (let t = T0; t < Math.min(now, T0 + 20_000); t += 100) {
			tree.record('acme/a/x', { now: t, origin: 'mqtt', value: 1 });
			tree.record('acme/b/y', { now: t, origin: 'mqtt', value: 1 });
		}
		return tree;
	};

	test.each([
		// [ms after T0, expected msg/s, why]
		[17_500, 10, 'mid-window: 25 in this window + half of the 50 before, over 5 s'],
		[20_000, 10, 'the last full window: 50 messages in 5 s'],
		[22_500, 5, 'half of the last window still overlaps the sliding 5 s'],
		[25_000, 0, 'a whole window of silence'],
		[60_000, 0, 'long silence']
	])('at +%i ms the rate is %d (%s)', (offset, expected) => {
		const tree = steady(T0 + offset);
		expect(rateAt(tree.find('acme/a/x')!, T0 + offset)).toBeCloseTo(expected, 9);
		// Two topics at 10/s each: their common ancestors carry 20/s.
		expect(rateAt(tree.find('acme')!, T0 + offset)).toBeCloseTo(2 * expected, 9);
		expect(rateAt(tree.find('acme/a')!, T0 + offset)).toBeCloseTo(expected, 9);
	});

	test('a burst after silence counts from its own window only', () => {
		const tree = new UnsTree();
		tree.record('a/b', { now: T0, origin: 'mqtt', value: 1 });
		for (let i = 0; i < 5; i++) tree.record('a/b', { now: T0 + 3 * RATE_WINDOW_MS + i, origin: 'mqtt', value: 1 });
		// 5 messages in the current window, nothing in the one before: 5 / 5 s.
		expect(rateAt(tree.find('a/b')!, T0 + 3 * RATE_WINDOW_MS + 10)).toBeCloseTo(1, 9);
	});
});

describe('values, kinds, retained and warnings', () => {
	test.each([
		['acme/utrecht/pack/line1/filler/speed', json({ value: 1, timestamp_ms: T0 }), 'json', []],
		['acme/utrecht/pack/line1/filler/speed', enc('12.5'), 'number', ['uns.not_json']],
		['acme/utrecht/pack/line1/filler/state', enc('running'), 'text', ['uns.not_json']],
		['acme/utrecht/pack/line1/filler/blob', new Uint8Array([0xff, 0x00, 0x01]), 'binary', []],
		['acme/utrecht/pack/line1/filler/arr', json([1, 2]), 'json', ['uns.array_payload']],
		['acme/utrecht/pack/line1/filler/nots', json({ value: 1 }), 'json', ['uns.no_timestamp']],
		['acme/utrecht/pack/line1/filler/empty', new Uint8Array(), 'empty', []],
		['acme/Utrecht/speed', json({ value: 1, timestamp_ms: T0 }), 'json', ['uns.too_shallow', 'uns.level_case']],
		['acme/utrecht/pack/line1/filler/big', json({ timestamp_ms: T0, pad: 'x'.repeat(2000) }), 'json', ['uns.payload_too_large']]
	])('%s: kind and warnings of a payload', (path, payload, kind, warnings) => {
		const tree = new UnsTree();
		const node = tree.record(path, { now: T0, origin: 'mqtt', payload })!;
		expect(node.topic!.kind).toBe(kind);
		expect(node.topic!.warnings).toEqual(warnings);
	});

	test('warnings follow the latest payload; the topic checks stay', () => {
		const tree = new UnsTree();
		tree.record('acme/x', { now: T0, origin: 'mqtt', payload: enc('1') });
		expect(tree.find('acme/x')!.topic!.warnings).toEqual(['uns.too_shallow', 'uns.not_json']);
		tree.record('acme/x', { now: T0, origin: 'mqtt', payload: good(1) });
		expect(tree.find('acme/x')!.topic!.warnings).toEqual(['uns.too_shallow']);
	});

	test('retained flag is that of the latest message; binary previews are hex; previews are bounded', () => {
		const tree = new UnsTree();
		const node = tree.record('a/b', { now: T0, origin: 'mqtt', payload: enc('1'), retained: true })!;
		expect(node.topic!.retained).toBe(true);
		tree.record('a/b', { now: T0, origin: 'mqtt', payload: enc('2') });
		expect(node.topic!.retained).toBe(false);
		tree.record('a/bin', { now: T0, origin: 'mqtt', payload: new Uint8Array([0xde, 0xad, 0x00]) });
		expect(tree.find('a/bin')!.topic!.preview).toBe('dead00');
		tree.record('a/big', { now: T0, origin: 'mqtt', payload: enc('y'.repeat(10_000)) });
		expect(tree.find('a/big')!.topic!.preview).toHaveLength(PREVIEW_CHARS);
	});

	test('decoded values (tag store, Sparkplug) are shown as JSON text with their kind', () => {
		const tree = new UnsTree();
		tree.record('acme/l1/speed', { now: T0, origin: 'opcua-line1', value: 12.5 });
		tree.record('spBv1.0/g/e/d/Temp', { now: T0, origin: 'sparkplug', value: 21, kind: 'sparkplug' });
		tree.record('acme/l1/wo', { now: T0, origin: 'opcua-line1', value: { id: 'WO-1' } });
		expect(tree.find('acme/l1/speed')!.topic).toMatchObject({ preview: '12.5', kind: 'number' });
		expect(tree.find('spBv1.0/g/e/d/Temp')!.topic).toMatchObject({ preview: '21', kind: 'sparkplug' });
		expect(tree.find('acme/l1/wo')!.topic).toMatchObject({ preview: '{"id":"WO-1"}', kind: 'json' });
	});

	test('edge node status sits on the edge node', () => {
		const tree = new UnsTree();
		tree.setEdgeStatus('spBv1.0/g/e', { online: true, lastSeq: 4, seqGaps: 1, rebirthNeeded: false });
		expect(tree.find('spBv1.0/g/e')!.edge).toEqual({ online: true, lastSeq: 4, seqGaps: 1, rebirthNeeded: false });
	});
});

describe('history ring buffer', () => {
	test('keeps the last N messages, oldest first', () => {
		const tree = new UnsTree({ historyLength: 3 });
		for (let i = 1; i <= 5; i++) tree.record('a/b', { now: T0 + i, origin: 'mqtt', payload: enc(String(i)) });
		expect(tree.history(tree.find('a/b')!).map((e) => [e.seq, e.ts, e.text])).toEqual([
			[3, T0 + 3, '3'],
			[4, T0 + 4, '4'],
			[5, T0 + 5, '5']
		]);
		expect(tree.historyBytes).toBe(3 * (1 + ENTRY_OVERHEAD_BYTES));
	});

	test('entries are bounded in size', () => {
		const tree = new UnsTree();
		tree.record('a/b', { now: T0, origin: 'mqtt', payload: enc('z'.repeat(5000)) });
		expect(tree.history(tree.find('a/b')!)[0].text).toHaveLength(PREVIEW_CHARS);
	});

	test('over the tree-wide budget, rings stop growing but every topic keeps two entries', () => {
		// Budget for 2.5 entries of 4 bytes: topic a keeps 2, b gets its 2 anyway.
		const entry = 4 + ENTRY_OVERHEAD_BYTES;
		const tree = new UnsTree({ historyLength: 20, historyBudgetBytes: 2.5 * entry });
		for (let i = 0; i < 5; i++) tree.record('t/a', { now: T0 + i, origin: 'mqtt', payload: enc(`a${i}__`.slice(0, 4)) });
		for (let i = 0; i < 5; i++) tree.record('t/b', { now: T0 + i, origin: 'mqtt', payload: enc(`b${i}__`.slice(0, 4)) });
		expect(tree.history(tree.find('t/a')!).map((e) => e.text)).toEqual(['a3__', 'a4__']);
		expect(tree.history(tree.find('t/b')!).map((e) => e.text)).toEqual(['b3__', 'b4__']);
		expect(tree.historyBytes).toBe(4 * entry);
	});
});

describe('search', () => {
	test('by path (case-insensitive), by value, bounded', () => {
		const tree = new UnsTree();
		tree.record('acme/l1/Filler/speed', { now: T0, origin: 'mqtt', payload: enc('"fast"') });
		tree.record('acme/l1/capper/speed', { now: T0, origin: 'mqtt', payload: enc('"slow"') });
		tree.record('acme/l2/filler/state', { now: T0, origin: 'mqtt', payload: enc('"slow"') });
		expect(tree.search('filler', 10)).toMatchObject({ paths: ['acme/l1/Filler/speed', 'acme/l2/filler/state'], truncated: false });
		expect(tree.search('slow', 10)).toMatchObject({ paths: [], truncated: false });
		expect(tree.search('slow', 10, true).paths).toEqual(['acme/l1/capper/speed', 'acme/l2/filler/state']);
		expect(tree.search('speed', 1)).toMatchObject({ paths: ['acme/l1/Filler/speed'], truncated: true });
		tree.record('acme/l1/capper/speed', { now: T0 + 1, origin: 'mqtt', payload: enc('"SLOW"') });
		expect(tree.search('sLoW', 10, true).paths).toEqual(['acme/l1/capper/speed', 'acme/l2/filler/state']);
	});

	// Depth first: root, acme, acme/l1, acme/l1/t0…t9 (13 nodes), then acme/l2 and acme/l2/u (15 in all).
	test.each([
		[100, 11, false, 15],
		[15, 11, false, 15],
		[14, 10, true, 14],
		[5, 2, true, 5],
		[3, 0, true, 3]
	])('at most %i nodes visited: %i of the 11 matches, truncated %s, visited %i', (maxVisited, found, truncated, visited) => {
		const tree = new UnsTree();
		for (let i = 0; i < 10; i++) tree.record(`acme/l1/t${i}`, { now: T0, origin: 'mqtt', payload: enc('1') });
		tree.record('acme/l2/u', { now: T0, origin: 'mqtt', payload: enc('1') });
		const result = tree.search('acme', 50, false, maxVisited);
		expect(result.paths).toHaveLength(found);
		expect(result).toMatchObject({ truncated, visited });
	});
});

describe('stale values', () => {
	test('a stale mark changes the flag and the version, never the counts, rates or history', () => {
		const tree = new UnsTree();
		tree.record('acme/l1/speed', { now: T0, origin: 'opcua-line1', value: 12.5, sourceTs: T0 - 300 });
		const node = tree.find('acme/l1/speed')!;
		const before = { messages: node.messages, windowCount: node.windowCount, lastTs: node.lastTs, history: tree.history(node) };
		const version = tree.version;
		expect(before.history).toEqual([{ seq: 1, ts: T0 - 300, text: '12.5', retained: false }]);

		expect(tree.setStale('acme/l1/speed', true)).toBe(true);
		expect(node.topic!.stale).toBe(true);
		expect(node.version).toBeGreaterThan(version);
		expect({ messages: node.messages, windowCount: node.windowCount, lastTs: node.lastTs, history: tree.history(node) }).toEqual(before);
		expect(tree.find('acme')!.messages).toBe(1);
		// Marking again is no change.
		const v2 = tree.version;
		tree.setStale('acme/l1/speed', true);
		expect(tree.version).toBe(v2);
		expect(tree.setStale('acme/none', true)).toBe(false);

		// The next fresh value clears it; a value sent as not current keeps it.
		tree.record('acme/l1/speed', { now: T0 + 1000, origin: 'opcua-line1', value: 13 });
		expect(node.topic!.stale).toBe(false);
		tree.record('acme/l1/speed', { now: T0 + 2000, origin: 'opcua-line1', value: 13, stale: true });
		expect(node.topic!.stale).toBe(true);
	});
});

describe('memory', () => {
	test('per topic, with load-test payloads, 20 messages each', () => {
		const topics = 50_000;
		const messages = 20;
		// A real collection before each reading, so garbage from building payloads is not counted.
		v8.setFlagsFromString('--expose-gc');
		const gc = vm.runInNewContext('gc') as () => void;
		gc();
		const before = process.memoryUsage().heapUsed;
		const tree = new UnsTree();
		let largestPayload = 0;
		for (let m = 0; m < messages; m++)
			for (let i = 0; i < topics; i++) {
				const payload = good(m * 0.5 + i, T0 + m * 1000);
				largestPayload = Math.max(largestPayload, payload.length);
				tree.record(`loadtest/site${i % 10}/area${i % 7}/line${i % 13}/cell${i % 50}/tag${i}`, { now: T0 + m * 1000, origin: 'mqtt', payload });
			}
		gc();
		const heap = process.memoryUsage().heapUsed - before;
		expect(tree.topicCount).toBe(topics);
		// A search that matches nothing walks the whole tree: the worst case a client can ask for.
		const t0 = performance.now();
		const miss = tree.search('no-such-value', 50, true);
		const searchMs = performance.now() - t0;
		expect(miss).toMatchObject({ paths: [], truncated: false });
		console.log(`[measure] uns tree search by value over ${tree.nodeCount} nodes (${topics} topics), no match: ${searchMs.toFixed(1)} ms, ${miss.visited} nodes visited`);
		// The history budget holds whatever the topic count: past it only the MIN_HISTORY entries every topic keeps
		// are added. Kept whole, these messages would be about three times the budget.
		const entryBytes = largestPayload + ENTRY_OVERHEAD_BYTES;
		expect(topics * messages * entryBytes).toBeGreaterThan(3 * DEFAULT_HISTORY_BUDGET_BYTES);
		expect(tree.historyBytes).toBeLessThanOrEqual(DEFAULT_HISTORY_BUDGET_BYTES + MIN_HISTORY * topics * entryBytes);
		const perTopicWithoutHistory = (heap - tree.historyBytes) / topics;
		console.log(
			`[measure] uns tree, ${topics} topics × ${messages} messages: heap +${Math.round(heap / 1e6)} MB, ` +
				`history ${Math.round(tree.historyBytes / 1e6)} MB (budget ${DEFAULT_HISTORY_BUDGET_BYTES / 2 ** 20} MiB), ` +
				`~${Math.round(perTopicWithoutHistory)} B/topic besides history → 100,000 topics ≈ ` +
				`${Math.round((perTopicWithoutHistory * 100_000 + DEFAULT_HISTORY_BUDGET_BYTES) / 1e6)} MB`
		);
	});
});
