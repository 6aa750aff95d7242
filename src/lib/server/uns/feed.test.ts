import { beforeEach, describe, expect, test } from 'vitest';
import type { UnsServerMessage } from '$lib/shared/protocol';
import type { SessionUser } from '../auth/auth-service';
import { UnsTree } from '../domain/uns/uns-tree';
import { TagStore } from '../domain/tags/tag-store';
import { Hub } from '../hub/hub';
import { FakeClock } from '../testing/fake-clock';
import { FakeConnection } from '../testing/fake-connection';
import { silentLog } from '../testing/silent-log';
import { UnsFeed, type UnsFeedLimits } from './feed';

const user: SessionUser = { id: 1, username: 'eng', role: 'maintenance', lang: 'en', sid: 's1', expiresAt: Number.MAX_SAFE_INTEGER };
const enc = (s: string) => new TextEncoder().encode(s);

let clock: FakeClock;
let tree: UnsTree;
const pub = (path: string, payload: string, retained = false) => tree.record(path, { now: clock.now(), origin: 'mqtt', payload: enc(payload), retained });

/** The hub's soft unread limit in these tests; the feed has none of its own. */
const SOFT = 512 * 1024;

function setup(limits: Partial<UnsFeedLimits> = {}, maxBufferedBytes = SOFT) {
	const hub = new Hub(new TagStore(), clock, silentLog, { messagesPerSecond: 1000, messageBurst: 1000, maxBufferedBytes, heartbeatMs: 3600_000 });
	const feed = new UnsFeed(tree, clock, hub, limits);
	hub.registerChannel(feed);
	const conn = new FakeConnection();
	const session = hub.connect(conn, user);
	const send = (msg: unknown) => hub.receive(session, JSON.stringify(msg));
	const of = <T extends UnsServerMessage['type']>(type: T) => conn.sent.filter((m) => m.type === type) as Extract<UnsServerMessage, { type: T }>[];
	return { hub, feed, conn, session, send, of };
}

beforeEach(() => {
	clock = new FakeClock();
	tree = new UnsTree();
	pub('acme/l1/speed', '1');
	pub('acme/l1/state', '"run"', true);
	pub('acme/l2/speed', '2');
	pub('other/x', '{"a":1}');
});

describe('open and close', () => {
	test('opening a node sends its children with their stats as a snapshot', () => {
		const { send, of } = setup();
		send({ type: 'tree.open', id: 1, path: '' });
		send({ type: 'tree.open', id: 2, path: 'acme/l1' });
		const [root, l1] = of('tree');
		expect(root).toMatchObject({ id: 1, path: '', total: 2 });
		expect(root.nodes.map((n) => [n.p, n.c, n.m])).toEqual([
			['acme', 2, 3],
			['other', 1, 1]
		]);
		expect(l1.nodes).toEqual([
			{ p: 'acme/l1/speed', c: 0, m: 1, r: 0.2, t: clock.now(), o: 'mqtt', v: '1', k: 'number', w: ['uns.too_shallow', 'uns.not_json'] },
			{ p: 'acme/l1/state', c: 0, m: 1, r: 0.2, t: clock.now(), o: 'mqtt', v: '"run"', k: 'text', rt: true, w: ['uns.too_shallow', 'uns.not_json'] }
		]);
	});

	test('after a snapshot, one conflated batch per interval carries only the changed visible nodes', () => {
		const { send, of } = setup({ intervalMs: 250 });
		send({ type: 'tree.open', id: 1, path: 'acme/l1' });
		for (let i = 0; i < 10; i++) pub('acme/l1/speed', String(i));
		pub('acme/l2/speed', '5'); // not visible: acme/l2 is not open
		clock.advance(250);
		const batches = of('tree').filter((m) => m.id === undefined);
		expect(batches).toHaveLength(1);
		expect(batches[0].nodes.map((n) => [n.p, n.m, n.v])).toEqual([['acme/l1/speed', 11, '9']]);
		clock.advance(250);
		expect(of('tree').filter((m) => m.id === undefined)).toHaveLength(1);
	});

	test('new children of an open node arrive in the next batch; closed nodes stop', () => {
		const { send, of } = setup();
		send({ type: 'tree.open', id: 1, path: 'acme' });
		pub('acme/l3/speed', '3');
		clock.advance(250);
		expect(of('tree').at(-1)!.nodes.map((n) => n.p)).toEqual(['acme/l3']);
		send({ type: 'tree.close', path: 'acme' });
		pub('acme/l3/speed', '4');
		clock.advance(250);
		expect(of('tree')).toHaveLength(2);
	});

	test('nodes per batch are capped; the rest follow in later batches', () => {
		for (let i = 0; i < 25; i++) pub(`many/t${i}`, '1');
		const { send, of } = setup({ maxNodesPerBatch: 10 });
		send({ type: 'tree.open', id: 1, path: 'many' });
		for (let i = 0; i < 25; i++) pub(`many/t${i}`, '2');
		clock.advance(250);
		clock.advance(250);
		clock.advance(250);
		expect(of('tree').slice(1).map((b) => b.nodes.length)).toEqual([10, 10, 5]);
	});

	test('an open node shows its first children only, with the total', () => {
		for (let i = 0; i < 30; i++) pub(`flat/t${i}`, '1');
		const { send, of } = setup({ maxChildrenPerOpen: 20 });
		send({ type: 'tree.open', id: 1, path: 'flat' });
		expect(of('tree')[0]).toMatchObject({ total: 30 });
		expect(of('tree')[0].nodes).toHaveLength(20);
	});

	test('rates are re-sent every refresh so a silent topic falls to 0', () => {
		const { send, of } = setup({ refreshMs: 2000 });
		send({ type: 'tree.open', id: 1, path: 'acme/l1' });
		clock.advance(2000);
		expect(of('tree').length).toBe(2);
		clock.advance(10_000);
		const last = of('tree').at(-1)!;
		expect(last.nodes.every((n) => n.r === 0)).toBe(true);
	});
});

describe('bad input', () => {
	test.each([
		[{ type: 'tree.open', id: 5, path: 'nope/x' }, 'HMI_ERR_UNKNOWN_PATH'],
		[{ type: 'tree.detail', id: 5, path: 'acme/l1' }, 'HMI_ERR_UNKNOWN_PATH'], // a branch, not a topic
		[{ type: 'tree.open', id: 5 }, 'HMI_ERR_BAD_MESSAGE'],
		[{ type: 'tree.search', id: 5, query: '' }, 'HMI_ERR_BAD_MESSAGE'],
		[{ type: 'tree.search', id: 5, query: 'a', limit: 100_000 }, 'HMI_ERR_BAD_MESSAGE'],
		[{ type: 'tree.bogus', id: 5 }, 'HMI_ERR_UNKNOWN_TYPE']
	])('%j → %s', (msg, code) => {
		const { send, conn } = setup();
		send(msg);
		expect(conn.of('error')).toEqual([expect.objectContaining({ code, ref: 5 })]);
	});

	test('too many open nodes → error; re-opening one already open is fine', () => {
		const { send, conn, of } = setup({ maxOpen: 2 });
		send({ type: 'tree.open', id: 1, path: '' });
		send({ type: 'tree.open', id: 2, path: 'acme' });
		send({ type: 'tree.open', id: 3, path: 'acme' });
		send({ type: 'tree.open', id: 4, path: 'acme/l1' });
		expect(of('tree')).toHaveLength(3);
		expect(conn.of('error')).toEqual([expect.objectContaining({ code: 'HMI_ERR_TOO_MANY_OPEN', ref: 4 })]);
	});
});

describe('search', () => {
	test('by path and by value, bounded, with a truncation flag', () => {
		const { send, of } = setup({ searchIntervalMs: 0 });
		send({ type: 'tree.search', id: 1, query: 'SPEED' });
		send({ type: 'tree.search', id: 2, query: 'run', byValue: true });
		send({ type: 'tree.search', id: 3, query: 'speed', limit: 1 });
		expect(of('tree.search')).toEqual([
			{ type: 'tree.search', id: 1, paths: ['acme/l1/speed', 'acme/l2/speed'], truncated: false },
			{ type: 'tree.search', id: 2, paths: ['acme/l1/state'], truncated: false },
			{ type: 'tree.search', id: 3, paths: ['acme/l1/speed'], truncated: true }
		]);
	});
});

describe('search rate', () => {
	test('searches closer together than the interval are conflated: the latest runs on a later tick', () => {
		const { send, of } = setup({ searchIntervalMs: 500 });
		send({ type: 'tree.search', id: 1, query: 'a' });
		send({ type: 'tree.search', id: 2, query: 'ac' });
		send({ type: 'tree.search', id: 3, query: 'acme/l2' });
		expect(of('tree.search').map((m) => m.id)).toEqual([1]);
		clock.advance(250);
		expect(of('tree.search').map((m) => m.id)).toEqual([1]);
		clock.advance(250);
		expect(of('tree.search').map((m) => [m.id, m.paths])).toEqual([
			[1, ['acme/l1/speed', 'acme/l1/state', 'acme/l2/speed']],
			[3, ['acme/l2/speed']]
		]);
	});
});

describe('pause and resume', () => {
	test('a paused client gets nothing; on resume, one fresh snapshot per open node', () => {
		const { send, of } = setup();
		send({ type: 'tree.open', id: 1, path: 'acme/l1' });
		send({ type: 'tree.pause' });
		pub('acme/l1/speed', '7');
		clock.advance(5000);
		expect(of('tree')).toHaveLength(1);
		send({ type: 'tree.resume' });
		expect(of('tree')).toHaveLength(2);
		expect(of('tree')[1]).toMatchObject({ id: 1, path: 'acme/l1' });
		expect(of('tree')[1].nodes[0]).toMatchObject({ p: 'acme/l1/speed', v: '7', m: 2 });
		clock.advance(250);
		expect(of('tree')).toHaveLength(2);
	});
});

describe('detail', () => {
	test('the topic history, then its new messages batched per interval, until stopped', () => {
		pub('acme/l1/speed', '2');
		const { send, of } = setup();
		send({ type: 'tree.detail', id: 9, path: 'acme/l1/speed' });
		const [detail] = of('tree.detail');
		expect(detail.node).toMatchObject({ p: 'acme/l1/speed', v: '2' });
		expect(detail.history.map(([seq, , text]) => [seq, text])).toEqual([
			[1, '1'],
			[2, '2']
		]);
		pub('acme/l1/speed', '3');
		pub('acme/l1/speed', '4');
		clock.advance(250);
		expect(of('tree.msgs')).toEqual([
			{
				type: 'tree.msgs',
				path: 'acme/l1/speed',
				msgs: [
					[3, clock.now() - 250, '3', 0],
					[4, clock.now() - 250, '4', 0]
				]
			}
		]);
		send({ type: 'tree.detail', id: 10, path: null });
		pub('acme/l1/speed', '5');
		clock.advance(250);
		expect(of('tree.msgs')).toHaveLength(1);
	});

	test('a slow reader is skipped until it has caught up; disconnect forgets the client', () => {
		const { send, of, conn, hub, session, feed } = setup();
		send({ type: 'tree.open', id: 1, path: 'acme/l1' });
		conn.bufferedAmount = 1024 * 1024;
		pub('acme/l1/speed', '8');
		clock.advance(250);
		expect(of('tree')).toHaveLength(1);
		conn.bufferedAmount = 0;
		clock.advance(250);
		expect(of('tree')).toHaveLength(2);
		expect(feed.clientCount).toBe(1);
		hub.disconnect(session);
		expect(feed.clientCount).toBe(0);
	});
});

describe('a client that does not read', () => {
	// Each row: what the client asks while it has `unread` bytes queued, and what it is sent then and
	// once it has read everything.
	test.each([
		['tree.open', SOFT, 'tree', 1, null, { type: 'tree.open', id: 7, path: 'acme/l1' }],
		['tree.open', SOFT + 1, null, 0, 'tree', { type: 'tree.open', id: 7, path: 'acme/l1' }],
		['tree.detail', SOFT + 1, null, 0, 'tree.detail', { type: 'tree.detail', id: 7, path: 'acme/l1/speed' }],
		['tree.search', SOFT + 1, 'error', 1, null, { type: 'tree.search', id: 7, query: 'speed' }]
	])('%s with %i bytes unread: sends %s (%i), after draining %s', (_type, unread, nowType, nowCount, laterType, msg) => {
		const { send, conn } = setup();
		conn.bufferedAmount = unread;
		send(msg);
		expect(conn.sent.map((m) => m.type)).toEqual(nowType ? Array(nowCount).fill(nowType) : []);
		if (nowType === 'error') expect(conn.sent[0]).toMatchObject({ code: 'HMI_ERR_BUSY', ref: 7 });
		const before = conn.sent.length;
		clock.advance(250);
		expect(conn.sent.length).toBe(before);
		conn.bufferedAmount = 0;
		clock.advance(250);
		const later = conn.sent.slice(before).map((m) => m.type);
		expect(later).toEqual(laterType ? [laterType] : []);
		if (laterType) expect(conn.sent.at(-1)).toMatchObject({ id: 7 });
	});

	test('re-opening an open node many times while behind queues nothing: one snapshot once it has read', () => {
		const { send, conn, of } = setup();
		send({ type: 'tree.open', id: 1, path: 'acme/l1' });
		conn.bufferedAmount = 600 * 1024;
		for (let i = 0; i < 200; i++) send({ type: 'tree.open', id: 2 + i, path: 'acme/l1' });
		clock.advance(1000);
		expect(of('tree')).toHaveLength(1);
		conn.bufferedAmount = 0;
		clock.advance(250);
		expect(of('tree').map((m) => m.id)).toEqual([1, 201]);
	});

	test('resume owes one snapshot per open node, sent only while the client keeps reading', () => {
		const { send, conn, of } = setup();
		send({ type: 'tree.open', id: 1, path: 'acme/l1' });
		send({ type: 'tree.open', id: 2, path: 'acme/l2' });
		send({ type: 'tree.open', id: 3, path: 'other' });
		send({ type: 'tree.pause' });
		// Each snapshot fills the buffer past the soft limit, as a big one would.
		const realSend = conn.send.bind(conn);
		conn.send = (text) => {
			realSend(text);
			conn.bufferedAmount += SOFT + 1;
		};
		conn.bufferedAmount = 0;
		send({ type: 'tree.resume' });
		expect(of('tree').map((m) => m.id)).toEqual([1, 2, 3, 1]);
		for (const expected of [[2], [3]]) {
			conn.bufferedAmount = 0;
			const before = of('tree').length;
			clock.advance(250);
			expect(of('tree').slice(before).map((m) => m.id)).toEqual(expected);
		}
	});

	test('the limits are the hub\'s (WS_MAX_BUFFERED_KB): with it at 4 MB, a client with 3 MB unread is served and never closed by the feed', () => {
		const { send, conn, feed, of } = setup({}, 4 * 1024 * 1024);
		conn.bufferedAmount = 3 * 1024 * 1024;
		send({ type: 'tree.open', id: 1, path: 'acme/l1' });
		expect(of('tree').map((m) => m.id)).toEqual([1]);
		// Far past that, it is sent nothing more, and still not closed here: the hub's heartbeat judges whether it reads.
		conn.bufferedAmount = 64 * 1024 * 1024;
		pub('acme/l1/speed', '9');
		clock.advance(10_000);
		expect(of('tree')).toHaveLength(1);
		expect(conn.closed).toBeUndefined();
		expect(feed.clientCount).toBe(1);
		conn.bufferedAmount = 0;
		clock.advance(250);
		expect(of('tree').at(-1)!.nodes.find((n) => n.p === 'acme/l1/speed')?.v).toBe('9');
	});

	test('errors to a client that keeps asking without reading count against the hub\'s budget for answers: past it the hub closes it', () => {
		const soft = 1000;
		const { send, conn, hub } = setup({}, soft);
		conn.bufferedAmount = 10 * soft;
		for (let i = 0; i < 500 && !conn.closed; i++) send({ type: 'tree.search', id: i, query: 'x' });
		expect(conn.closed).toEqual({ code: 1008, reason: 'unread-limit' });
		// The budget is hard − soft = 3 × soft bytes of answers: a handful of errors, then the close.
		const errors = conn.of('error');
		expect(errors.length).toBeGreaterThan(5);
		expect(errors.reduce((n, e) => n + JSON.stringify(e).length, 0)).toBeLessThanOrEqual(3 * soft);
		expect(hub.stats().closedForUnread).toBe(1);
	});
});

describe('the hub is the only writer', () => {
	test('every byte the feed puts on the socket went through the hub: counted in its stats and in the unread rules', () => {
		for (let i = 0; i < 50; i++) pub(`acme/l1/t${i}`, String(i));
		const { send, conn, hub, session } = setup({}, 4096);
		let bytesOnSocket = 0;
		const realSend = conn.send.bind(conn);
		conn.send = (text) => {
			bytesOnSocket += typeof text === 'string' ? Buffer.byteLength(text) : text.length;
			realSend(text);
		};
		send({ type: 'tree.open', id: 1, path: '' });
		send({ type: 'tree.open', id: 2, path: 'acme/l1' });
		send({ type: 'tree.detail', id: 3, path: 'acme/l1/t1' });
		send({ type: 'tree.search', id: 4, query: 't' });
		send({ type: 'tree.open', id: 5, path: 'nope' });
		for (let i = 0; i < 50; i++) pub(`acme/l1/t${i}`, String(i + 1));
		clock.advance(250);
		// Behind: the feed sends nothing large, whatever it has.
		conn.bufferedAmount = 4097;
		const sentWhileReading = conn.sent.length;
		pub('acme/l1/t1', '99');
		send({ type: 'tree.open', id: 6, path: 'acme' });
		clock.advance(1000);
		expect(conn.sent.slice(sentWhileReading)).toEqual([]);
		expect(sentWhileReading).toBeGreaterThanOrEqual(6);
		expect(bytesOnSocket).toBeGreaterThan(0);
		expect(hub.stats().bytesSent).toBe(bytesOnSocket);
		expect(session.unread.sentBytes).toBe(bytesOnSocket);
	});
});

describe('work per tick', () => {
	test('children looked at per tick are capped; open nodes not reached are looked at next tick, nothing is lost', () => {
		// Three open branches of 10 children each, 15 children of budget per tick.
		for (const b of ['a', 'b', 'c']) for (let i = 0; i < 10; i++) pub(`w/${b}/t${i}`, '0');
		const { send, of } = setup({ maxScanPerTick: 15 });
		for (const [id, b] of [[1, 'a'], [2, 'b'], [3, 'c']] as const) send({ type: 'tree.open', id, path: `w/${b}` });
		for (const b of ['a', 'b', 'c']) pub(`w/${b}/t3`, '1');
		const batches = () => of('tree').filter((m) => m.id === undefined);
		clock.advance(250);
		expect(batches().map((m) => m.nodes.map((n) => n.p))).toEqual([['w/a/t3']]);
		clock.advance(250);
		expect(batches().map((m) => m.nodes.map((n) => n.p))).toEqual([['w/a/t3'], ['w/b/t3']]);
		clock.advance(250);
		expect(batches().map((m) => m.nodes.map((n) => n.p))).toEqual([['w/a/t3'], ['w/b/t3'], ['w/c/t3']]);
	});

	test('an open node with nothing new below it is not looked at; a stale mark is new', () => {
		for (let i = 0; i < 10; i++) pub(`w/a/t${i}`, '0');
		const { send, of } = setup({ maxScanPerTick: 10 });
		send({ type: 'tree.open', id: 1, path: 'acme/l1' });
		send({ type: 'tree.open', id: 2, path: 'w/a' });
		// acme/l1 (2 children) is quiet: the whole budget goes to w/a.
		clock.advance(3000);
		pub('w/a/t9', '1');
		clock.advance(250);
		const last = () => of('tree').at(-1)!.nodes.map((n) => [n.p, n.v, n.st]);
		expect(last()).toEqual([['w/a/t9', '1', undefined]]);
		tree.setStale('acme/l1/state', true);
		clock.advance(250);
		expect(last()).toEqual([['acme/l1/state', '"run"', true]]);
	});
});
