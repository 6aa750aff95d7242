import { beforeEach, describe, expect, test } from 'vitest';
import { CloseCode, Quality, SESSION_ENDED_REASON, type ClientMessage } from '$lib/shared/protocol';
import type { SessionUser } from '../auth/auth-service';
import { TagStore } from '../domain/tags/tag-store';
import { FakeClock } from '../testing/fake-clock';
import { FakeConnection } from '../testing/fake-connection';
import { silentLog } from '../testing/silent-log';
import type { HubChannel } from './channel';
import type { ClientSession } from './client-session';
import { Hub, SUBSCRIBE_BURST_PER_SUBSCRIPTION, UNREAD_HARD_LIMIT_FACTOR, UNREAD_LIMIT_REASON, type HubLimits } from './hub';

const user = (sid = 's1', expiresAt = Number.MAX_SAFE_INTEGER): SessionUser => ({ id: 1, username: 'op', role: 'operator', lang: 'en', sid, expiresAt });

let clock: FakeClock;
let store: TagStore;
const set = (path: string, value: number) =>
	store.apply({ path, value, quality: Quality.Good, sourceTs: clock.now(), serverTs: clock.now(), origin: 'mqtt' });

function setup(limits: Partial<HubLimits> = {}, isLive?: (u: SessionUser) => boolean) {
	const hub = new Hub(store, clock, silentLog, limits, isLive);
	const conn = new FakeConnection();
	const session = hub.connect(conn, user());
	const send = (msg: unknown) => hub.receive(session, typeof msg === 'string' ? msg : JSON.stringify(msg));
	return { hub, conn, session, send };
}

beforeEach(() => {
	clock = new FakeClock();
	store = new TagStore();
});

describe('subscribe', () => {
	test('a sub gets a snapshot of the matching tags with their ids announced', () => {
		set('acme/l1/speed', 1);
		set('acme/l2/speed', 2);
		set('other/x', 3);
		const { conn, send } = setup();
		send({ type: 'sub', id: 7, patterns: ['acme/#'] });
		expect(conn.of('snapshot')).toEqual([
			{
				type: 'snapshot',
				id: 7,
				seq: 1,
				defs: [
					[0, 'acme/l1/speed'],
					[1, 'acme/l2/speed']
				],
				u: [
					[0, 1, Quality.Good, clock.now()],
					[1, 2, Quality.Good, clock.now()]
				]
			}
		]);
	});

	test('ids are announced once per connection, not in every snapshot', () => {
		set('acme/a', 1);
		const { conn, send } = setup();
		send({ type: 'sub', id: 1, patterns: ['acme/#'] });
		send({ type: 'sub', id: 2, patterns: ['acme/a'] });
		expect(conn.of('snapshot')[1].defs).toEqual([]);
		expect(conn.of('snapshot')[1].u).toHaveLength(1);
	});

	test('after unsub, changes no longer arrive; an unknown unsub is an error', () => {
		set('acme/a', 1);
		const { conn, send } = setup();
		send({ type: 'sub', id: 1, patterns: ['acme/#'] });
		send({ type: 'unsub', id: 1 });
		set('acme/a', 2);
		clock.advance(100);
		expect(conn.of('delta')).toEqual([]);
		send({ type: 'unsub', id: 1 });
		expect(conn.of('error')[0]).toMatchObject({ code: 'HMI_ERR_UNKNOWN_SUBSCRIPTION', ref: 1 });
	});

	test('overlapping subscriptions deliver a change once, and unsub of one keeps the other', () => {
		set('acme/a', 1);
		const { conn, send } = setup();
		send({ type: 'sub', id: 1, patterns: ['acme/#'] });
		send({ type: 'sub', id: 2, patterns: ['acme/a'] });
		send({ type: 'unsub', id: 1 });
		set('acme/a', 2);
		clock.advance(20);
		expect(conn.of('delta')).toEqual([{ type: 'delta', seq: 3, u: [[0, 2, Quality.Good, clock.now() - 20]] }]);
	});

	test('too many subscriptions are refused with a stable code', () => {
		const { conn, send } = setup({ maxSubscriptions: 2 });
		for (const id of [1, 2, 3]) send({ type: 'sub', id, patterns: ['acme/#'] });
		expect(conn.of('snapshot')).toHaveLength(2);
		expect(conn.of('error')[0]).toMatchObject({ code: 'HMI_ERR_TOO_MANY_SUBSCRIPTIONS', ref: 3 });
	});
});

describe('a client that does not read', () => {
	test('a sub while it is over its unread limit waits; once it reads, it gets the latest snapshot asked for each id, in order', () => {
		set('acme/a', 1);
		set('acme/b', 2);
		const { hub, conn, send } = setup({ maxBufferedBytes: 1000, batchMs: 16 });
		send({ type: 'sub', id: 1, patterns: ['acme/a'] });
		conn.bufferedAmount = 5000;
		for (let i = 0; i < 30; i++) send({ type: 'sub', id: 2, patterns: [i % 2 ? 'acme/a' : 'acme/b'] });
		send({ type: 'sub', id: 3, patterns: ['acme/a'] });
		send({ type: 'unsub', id: 3 });
		set('acme/b', 3);
		clock.advance(100);
		expect(conn.of('snapshot').map((m) => m.id)).toEqual([1]);
		expect(hub.stats().deferredSnapshots).toBe(31);

		conn.bufferedAmount = 0;
		clock.advance(16);
		const snapshots = conn.of('snapshot');
		// id 2's last ask (i = 29: acme/a); id 3 was withdrawn before it was sent.
		expect(snapshots.map((m) => m.id)).toEqual([1, 2]);
		expect(snapshots[1].u.map(([, v]) => v)).toEqual([1]);
		// Then live: a change to what it now subscribes to arrives; acme/b (id 2's earlier ask) does not.
		set('acme/a', 9);
		set('acme/b', 9);
		clock.advance(16);
		const last = conn.of('delta').at(-1)!;
		expect(last.u.map(([id, v]) => [id, v])).toEqual([[0, 9]]);
	});

	test('a sub for a new id while snapshots wait counts against maxSubscriptions', () => {
		const { conn, send } = setup({ maxBufferedBytes: 1000, maxSubscriptions: 2 });
		conn.bufferedAmount = 2000;
		for (const id of [1, 2, 3]) send({ type: 'sub', id, patterns: ['acme/#'] });
		expect(conn.of('error')).toEqual([expect.objectContaining({ code: 'HMI_ERR_TOO_MANY_SUBSCRIPTIONS', ref: 3 })]);
	});

	test('behind on reading, it still gets answers worth hard − soft bytes; one that keeps asking past that is closed 1008 unread-limit', () => {
		const { hub, conn, send } = setup({ maxBufferedBytes: 1000, hardBufferedBytes: 1300, heartbeatMs: 3600_000 });
		conn.bufferedAmount = 50_000;
		for (let i = 0; i < 3; i++) send({ type: 'ping', id: i });
		expect(conn.of('pong')).toHaveLength(3);
		expect(conn.closed).toBeUndefined();
		for (let i = 3; i < 50 && !conn.closed; i++) send({ type: 'ping', id: i });
		const pongs = conn.of('pong');
		expect(pongs.reduce((n, p) => n + JSON.stringify(p).length, 0)).toBeLessThanOrEqual(300);
		expect(conn.closed).toEqual({ code: CloseCode.Policy, reason: UNREAD_LIMIT_REASON });
		expect(hub.stats()).toMatchObject({ clients: 0, closedForUnread: 1 });
	});

	test('the answer budget comes back once the client has read down below the soft limit', () => {
		const { conn, send } = setup({ maxBufferedBytes: 1000, hardBufferedBytes: 1300, heartbeatMs: 3600_000 });
		for (let round = 0; round < 5; round++) {
			conn.bufferedAmount = 50_000;
			for (let i = 0; i < 3; i++) send({ type: 'ping', id: i });
			conn.bufferedAmount = 0;
			send({ type: 'ping', id: 9 });
		}
		expect(conn.of('pong')).toHaveLength(20);
		expect(conn.closed).toBeUndefined();
	});

	test('not reading is no progress between two heartbeats, not a byte count: far past the hard limit but reading, it stays', () => {
		set('acme/a', 1);
		const { hub, conn, session, send } = setup({ maxBufferedBytes: 1000, hardBufferedBytes: 4000, heartbeatMs: 1000 });
		send({ type: 'sub', id: 1, patterns: ['acme/#'] });
		const beat = (unread: number) => {
			conn.bufferedAmount = unread;
			clock.advance(1000);
			hub.pong(session, conn.lastPing!);
		};
		// The snapshot was megabytes: 12 MB unread, read a little between each check.
		for (let unread = 12_000_000; unread > 1000; unread -= 2_000_000) {
			beat(unread);
			expect(conn.closed, `at ${unread}`).toBeUndefined();
		}
		// Read down, then behind again (a new snapshot went out): the first check behind only takes note.
		beat(0);
		beat(9_000_000);
		expect(conn.closed).toBeUndefined();
		// Nothing read since: closed at this check.
		beat(9_000_000);
		expect(conn.closed).toEqual({ code: CloseCode.Policy, reason: UNREAD_LIMIT_REASON });
		expect(hub.stats().closedForUnread).toBe(1);
	});

	test('frames sent between two checks do not count as reading', () => {
		set('acme/a', 1);
		const { conn, session, hub, send } = setup({ maxBufferedBytes: 1000, hardBufferedBytes: 100_000, heartbeatMs: 1000 });
		conn.bufferedAmount = 5000;
		clock.advance(1000);
		hub.pong(session, conn.lastPing!);
		// Answers were queued (the unread figure grows by what was sent), nothing was read.
		for (let i = 0; i < 10; i++) {
			send({ type: 'ping', id: i });
			conn.bufferedAmount += JSON.stringify(conn.sent.at(-1)).length;
		}
		clock.advance(1000);
		expect(conn.closed).toEqual({ code: CloseCode.Policy, reason: UNREAD_LIMIT_REASON });
	});

	test('the hard limit defaults to a multiple of the soft one', () => {
		const { hub } = setup({ maxBufferedBytes: 1000 });
		expect(hub.limits.hardBufferedBytes).toBe(UNREAD_HARD_LIMIT_FACTOR * 1000);
	});
});

describe('re-subscription limit', () => {
	test('sub faster than the limit is refused with a stable code and changes nothing; it is not a bad message, a flood closes on the message rate', () => {
		set('acme/a', 1);
		const { hub, conn, send } = setup({ subscribesPerSecond: 2, subscribeBurst: 4, maxErrors: 5, messagesPerSecond: 1, messageBurst: 30 });
		for (let i = 0; i < 4; i++) send({ type: 'sub', id: 1, patterns: ['acme/#'] });
		expect(conn.of('snapshot')).toHaveLength(4);
		send({ type: 'sub', id: 2, patterns: ['acme/#'] });
		expect(conn.of('snapshot')).toHaveLength(4);
		expect(conn.of('error')).toEqual([expect.objectContaining({ code: 'HMI_ERR_SUBSCRIBE_RATE_LIMITED', ref: 2 })]);
		// Sub 1 is still there.
		set('acme/a', 2);
		clock.flushImmediates();
		expect(conn.of('delta').at(-1)!.u[0][1]).toBe(2);
		// More refusals than maxErrors do not close it: they are not bad messages.
		for (let i = 0; i < 10; i++) send({ type: 'sub', id: 3, patterns: ['acme/#'] });
		expect(conn.closed).toBeUndefined();
		expect(hub.stats()).toMatchObject({ subscribesRefused: 11, badMessages: 0 });
		// Each refusal spends the message rate, so keeping on is a flood: 1008.
		for (let i = 0; i < 30 && !conn.closed; i++) send({ type: 'sub', id: 3, patterns: ['acme/#'] });
		expect(conn.closed).toEqual({ code: CloseCode.Policy, reason: 'message rate limit exceeded' });
	});

	test('unsub is never refused: the old subscription of a resync goes even when the budget is spent', () => {
		set('acme/a', 1);
		const { hub, conn, send } = setup({ subscribesPerSecond: 2, subscribeBurst: 2 });
		send({ type: 'sub', id: 1, patterns: ['acme/#'] });
		send({ type: 'sub', id: 2, patterns: ['acme/a'] });
		for (const id of [1, 2]) send({ type: 'unsub', id });
		expect(conn.of('error')).toEqual([]);
		expect(hub.stats().subscriptions).toBe(0);
		set('acme/a', 2);
		clock.flushImmediates();
		expect(conn.of('delta')).toEqual([]);
	});

	test('the burst defaults to two per allowed subscription: a connect and a resync with every subscription pass, on a steady message rate', () => {
		set('acme/a', 1);
		const { hub, conn, send } = setup({ maxSubscriptions: 100 });
		expect(hub.limits.subscribeBurst).toBe(SUBSCRIBE_BURST_PER_SUBSCRIPTION * 100);
		for (let id = 1; id <= 100; id++) send({ type: 'sub', id, patterns: [`acme/${id}`] });
		// The resync: the old id dropped, then a new one (2 × 100 messages: more than the message burst).
		for (let id = 1; id <= 100; id++) {
			send({ type: 'unsub', id });
			send({ type: 'sub', id: 100 + id, patterns: [`acme/${id}`] });
		}
		expect(conn.of('error')).toEqual([]);
		expect(conn.closed).toBeUndefined();
		expect(conn.of('snapshot')).toHaveLength(200);
		expect(hub.stats().subscriptions).toBe(100);
	});

	test('a steady pace within the limit is never refused', () => {
		const { conn, send } = setup({ subscribesPerSecond: 2, subscribeBurst: 4, heartbeatMs: 3600_000 });
		for (let i = 0; i < 50; i++) {
			send({ type: 'sub', id: i + 1, patterns: ['acme/#'] });
			send({ type: 'unsub', id: i + 1 });
			clock.advance(1000);
		}
		expect(conn.of('error')).toEqual([]);
		expect(conn.of('snapshot')).toHaveLength(50);
	});
});

describe('connections per user', () => {
	test('each user may hold maxSocketsPerUser sockets and maxStreamsPerUser streams; a slot comes back once, when released', () => {
		const hub = new Hub(store, clock, silentLog, { maxSocketsPerUser: 2, maxStreamsPerUser: 1 });
		const anna = user('a');
		const bob = { ...user('b'), id: 2 };
		const sockets = [hub.reserveConnection(anna, 'socket'), hub.reserveConnection(anna, 'socket')];
		expect(sockets.every(Boolean)).toBe(true);
		expect(hub.reserveConnection(anna, 'socket')).toBeNull();
		// Other kinds and other users have their own count.
		expect(hub.reserveConnection(anna, 'stream')).not.toBeNull();
		expect(hub.reserveConnection(anna, 'stream')).toBeNull();
		expect(hub.reserveConnection(bob, 'socket')).not.toBeNull();
		sockets[0]!();
		sockets[0]!();
		expect(hub.reserveConnection(anna, 'socket')).not.toBeNull();
		expect(hub.reserveConnection(anna, 'socket')).toBeNull();
		expect(hub.stats().refusedConnections).toBe(3);
	});
});

describe('batching and conflation', () => {
	test('a burst becomes one delta, with each tag once at its latest value', () => {
		const { conn, send } = setup();
		send({ type: 'sub', id: 1, patterns: ['acme/#'] });
		set('acme/a', 1);
		set('acme/b', 1);
		set('acme/a', 2);
		set('acme/a', 3);
		expect(conn.of('delta')).toHaveLength(0);
		clock.flushImmediates();
		const deltas = conn.of('delta');
		expect(deltas).toHaveLength(1);
		expect(deltas[0].defs).toEqual([
			[0, 'acme/a'],
			[1, 'acme/b']
		]);
		expect(deltas[0].u.map(([id, value]) => [id, value])).toEqual([
			[0, 3],
			[1, 1]
		]);
	});

	test('batches to one client are at least batchMs apart; new tags matching a pattern are picked up', () => {
		const { conn, send } = setup({ batchMs: 16 });
		send({ type: 'sub', id: 1, patterns: ['acme/#'] });
		set('acme/a', 1);
		clock.flushImmediates();
		set('acme/a', 2);
		clock.advance(10);
		expect(conn.of('delta')).toHaveLength(1);
		set('acme/new', 5);
		clock.advance(6);
		const deltas = conn.of('delta');
		expect(deltas).toHaveLength(2);
		expect(deltas[1]).toMatchObject({ seq: 3, defs: [[1, 'acme/new']] });
		expect(deltas[1].u.map(([, v]) => v)).toEqual([2, 5]);
	});

	test('a client over its buffered-bytes limit is skipped, then gets only the latest values', () => {
		const { hub, conn, send } = setup({ maxBufferedBytes: 1000, batchMs: 16 });
		send({ type: 'sub', id: 1, patterns: ['acme/#'] });
		conn.bufferedAmount = 5000;
		for (let i = 0; i < 100; i++) {
			set('acme/a', i);
			set('acme/b', i);
			clock.advance(16);
		}
		expect(conn.of('delta')).toHaveLength(0);
		expect(hub.stats().skippedFlushes).toBe(1);
		conn.bufferedAmount = 0;
		clock.advance(16);
		// One catch-up frame with the current value of everything it subscribed to, paths it missed included.
		const deltas = conn.of('delta');
		expect(deltas).toHaveLength(1);
		expect(deltas[0].defs).toEqual([
			[0, 'acme/a'],
			[1, 'acme/b']
		]);
		expect(deltas[0].u.map(([, v]) => v)).toEqual([99, 99]);
	});

	test('one slow client does not hold back another', () => {
		const { hub, conn: slow, send } = setup({ maxBufferedBytes: 1000 });
		send({ type: 'sub', id: 1, patterns: ['acme/#'] });
		const fast = new FakeConnection();
		hub.receive(hub.connect(fast, user('s2')), JSON.stringify({ type: 'sub', id: 1, patterns: ['acme/#'] }));
		slow.bufferedAmount = 10_000;
		set('acme/a', 1);
		clock.advance(16);
		expect(fast.of('delta')).toHaveLength(1);
		expect(slow.of('delta')).toHaveLength(0);
	});

	test('clients with the same subscriptions share a batch: same updates, each with its own sequence', () => {
		const { hub, conn: first, send } = setup();
		send({ type: 'sub', id: 1, patterns: ['acme/#'] });
		const second = new FakeConnection();
		const s2 = hub.connect(second, user('s2'));
		hub.receive(s2, JSON.stringify({ type: 'sub', id: 9, patterns: ['acme/#'] }));
		set('acme/a', 1);
		set('acme/b', 2);
		clock.flushImmediates();
		const [a, b] = [first.of('delta'), second.of('delta')];
		expect(a).toHaveLength(1);
		expect(b).toHaveLength(1);
		expect(b[0].u).toEqual(a[0].u);
		expect(b[0].defs).toEqual(a[0].defs);
		// Each connection numbers its own frames (after its snapshot, seq 1).
		expect(a[0].seq).toBe(2);
		expect(b[0].seq).toBe(2);
	});

	test('a client whose subscriptions change keeps the changes still pending for what it still wants', () => {
		const { conn, send } = setup({ batchMs: 16 });
		send({ type: 'sub', id: 1, patterns: ['acme/a/#'] });
		send({ type: 'sub', id: 2, patterns: ['acme/b/#'] });
		set('acme/a/x', 1);
		clock.flushImmediates();
		// Within the next interval: a known tag changes and a new one appears, then the client drops sub 1.
		set('acme/b/y', 7);
		set('acme/b/new', 8);
		send({ type: 'unsub', id: 1 });
		set('acme/a/x', 2);
		clock.advance(16);
		const last = conn.of('delta').at(-1)!;
		expect(last.u.map(([id, v]) => [id, v])).toEqual([
			[1, 7],
			[2, 8]
		]);
		expect(last.defs).toEqual([
			[1, 'acme/b/y'],
			[2, 'acme/b/new']
		]);
	});

	test('with many clients the batch interval stretches to keep the total frame rate within the budget', () => {
		const { hub, conn, send } = setup({ batchMs: 16, maxFramesPerSecond: 100 });
		send({ type: 'sub', id: 1, patterns: ['acme/#'] });
		for (let i = 0; i < 4; i++) hub.connect(new FakeConnection(), user(`x${i}`));
		// 5 clients × 1000 ms / 100 frames/s = 50 ms between batches.
		for (let t = 0; t < 500; t += 5) {
			set('acme/a', t);
			clock.advance(5);
		}
		const deltas = conn.of('delta').length;
		expect(deltas).toBeGreaterThanOrEqual(9);
		expect(deltas).toBeLessThanOrEqual(11);
	});

	test('quality changes travel like values', () => {
		const { conn, send } = setup();
		set('acme/a', 1);
		send({ type: 'sub', id: 1, patterns: ['acme/#'] });
		store.markOriginStale('mqtt', clock.now());
		clock.flushImmediates();
		expect(conn.of('delta')[0].u[0][2]).toBe(Quality.Stale);
	});
});

describe('bad input', () => {
	test.each([
		['not JSON', '{nope', 'HMI_ERR_BAD_MESSAGE'],
		['a JSON array', '[1,2]', 'HMI_ERR_BAD_MESSAGE'],
		['a JSON string', '"sub"', 'HMI_ERR_BAD_MESSAGE'],
		['unknown type', { type: 'write', id: 1 }, 'HMI_ERR_UNKNOWN_TYPE'],
		['a type named like an Object.prototype key', { type: 'constructor', id: 1 }, 'HMI_ERR_UNKNOWN_TYPE'],
		['a type named __proto__', '{"type":"__proto__","id":1}', 'HMI_ERR_UNKNOWN_TYPE'],
		['missing type', { id: 1 }, 'HMI_ERR_UNKNOWN_TYPE'],
		['sub without patterns', { type: 'sub', id: 1 }, 'HMI_ERR_BAD_MESSAGE'],
		['sub with empty patterns', { type: 'sub', id: 1, patterns: [] }, 'HMI_ERR_BAD_MESSAGE'],
		['sub with a number pattern', { type: 'sub', id: 1, patterns: [5] }, 'HMI_ERR_BAD_MESSAGE'],
		['sub with a bad wildcard', { type: 'sub', id: 1, patterns: ['acme/#/x'] }, 'HMI_ERR_BAD_PATTERN'],
		['negative id', { type: 'sub', id: -1, patterns: ['#'] }, 'HMI_ERR_BAD_MESSAGE'],
		['fractional id', { type: 'unsub', id: 1.5 }, 'HMI_ERR_BAD_MESSAGE'],
		['too many patterns', { type: 'sub', id: 1, patterns: Array(33).fill('#') }, 'HMI_ERR_BAD_MESSAGE']
	])('%s → error %s and the socket stays open', (_name, msg, code) => {
		const { conn, send } = setup();
		send(msg);
		expect(conn.of('error')).toEqual([expect.objectContaining({ code })]);
		expect(conn.closed).toBeUndefined();
	});

	test('binary frames are refused with an error', () => {
		const { hub, conn, session } = setup();
		hub.receive(session, '', true);
		expect(conn.of('error')[0].code).toBe('HMI_ERR_BAD_MESSAGE');
	});

	test('more bad messages than allowed within the window close the socket with 1008', () => {
		const { conn, send } = setup({ maxErrors: 5 });
		for (let i = 0; i < 5; i++) send('x');
		expect(conn.closed).toBeUndefined();
		send('x');
		expect(conn.closed).toEqual({ code: CloseCode.Policy, reason: 'too many bad messages' });
	});

	test('a message flood closes the socket with 1008; a steady pace does not', () => {
		const steady = setup({ messagesPerSecond: 10, messageBurst: 20 });
		for (let i = 0; i < 100; i++) {
			steady.send({ type: 'ping', id: i });
			clock.advance(100);
		}
		expect(steady.conn.closed).toBeUndefined();
		expect(steady.conn.of('pong')).toHaveLength(100);
		const flood = setup({ messagesPerSecond: 10, messageBurst: 20 });
		for (let i = 0; i < 25; i++) flood.send({ type: 'ping' });
		expect(flood.conn.closed).toEqual({ code: CloseCode.Policy, reason: 'message rate limit exceeded' });
	});
});

describe('heartbeat and sessions', () => {
	test('a client that misses two pings is terminated; one that answers stays', () => {
		const { hub, conn, session } = setup({ heartbeatMs: 15_000 });
		const good = new FakeConnection();
		const goodSession = hub.connect(good, user('s2'));
		for (let i = 0; i < 3; i++) {
			clock.advance(15_000);
			hub.pong(goodSession, good.lastPing!);
		}
		expect(conn.pings).toBe(2);
		expect(conn.terminated).toBe(true);
		expect(session.closed).toBe(true);
		expect(good.terminated).toBe(false);
		expect(hub.stats().clients).toBe(1);
	});

	test('only a pong with our last ping\'s payload answers it; unsolicited pongs keep no one alive and count as messages', () => {
		const { hub, conn, session } = setup({ heartbeatMs: 15_000, messagesPerSecond: 1, messageBurst: 100 });
		// A client that does not read cannot know the payload: it sends pongs of its own after every ping.
		for (let i = 0; i < 2; i++) {
			clock.advance(15_000);
			hub.pong(session);
			hub.pong(session, Buffer.from('guess'));
		}
		expect(conn.terminated).toBe(false);
		clock.advance(15_000);
		expect(conn.pings).toBe(2);
		expect(conn.terminated).toBe(true);
		expect(hub.stats().unsolicitedPongs).toBe(4);

		// An answered payload is spent: replaying that pong after later pings keeps no one alive.
		const late = new FakeConnection();
		const lateSession = hub.connect(late, user('s3'));
		clock.advance(15_000);
		const first = late.lastPing!;
		expect(first).toHaveLength(8);
		hub.pong(lateSession, first);
		for (let i = 0; i < 2; i++) {
			clock.advance(15_000);
			expect(late.lastPing).not.toEqual(first);
			hub.pong(lateSession, first);
		}
		expect(late.terminated).toBe(false);
		clock.advance(15_000);
		expect(late.terminated).toBe(true);

		// A flood of them is a message flood: 1008.
		const flood = new FakeConnection();
		const floodSession = hub.connect(flood, user('s4'));
		for (let i = 0; i < 101; i++) hub.pong(floodSession, Buffer.from([i]));
		expect(flood.closed).toEqual({ code: CloseCode.Policy, reason: 'message rate limit exceeded' });
	});

	test('a slow reader that answers each ping after the next one went out stays: the last two pings count', () => {
		// A tablet draining ~1 MB reads ping N only after ping N+1 has been queued behind more data.
		const { hub, conn, session } = setup({ heartbeatMs: 15_000 });
		clock.advance(15_000);
		let previous = conn.lastPing!;
		for (let i = 0; i < 5; i++) {
			clock.advance(15_000);
			expect(conn.terminated).toBe(false);
			expect(conn.lastPing).not.toEqual(previous);
			const next = conn.lastPing!;
			hub.pong(session, previous);
			previous = next;
		}
		expect(conn.pings).toBe(6);
		expect(conn.terminated).toBe(false);
		expect(hub.stats()).toMatchObject({ clients: 1, unsolicitedPongs: 0 });
		// Answered once, a payload is spent: the same pong again is not a heartbeat.
		const newest = conn.lastPing!;
		hub.pong(session, newest);
		hub.pong(session, newest);
		expect(hub.stats().unsolicitedPongs).toBe(1);
		// Once it stops answering it still goes after two missed pings.
		clock.advance(15_000);
		clock.advance(15_000);
		expect(conn.terminated).toBe(false);
		clock.advance(15_000);
		expect(conn.terminated).toBe(true);
	});

	test('closeSession closes every socket of that session with 1008 session-ended', () => {
		const { hub, conn } = setup();
		const other = new FakeConnection();
		hub.connect(other, user('s2'));
		expect(hub.closeSession('s1')).toBe(1);
		expect(conn.closed).toEqual({ code: CloseCode.Policy, reason: SESSION_ENDED_REASON });
		expect(other.closed).toBeUndefined();
	});

	test('an expired or revoked session is closed at the next heartbeat', () => {
		let live = true;
		const { hub, conn } = setup({ heartbeatMs: 1000 }, () => live);
		const expiring = new FakeConnection();
		hub.connect(expiring, user('s2', clock.now() + 500));
		clock.advance(1000);
		expect(expiring.closed?.reason).toBe(SESSION_ENDED_REASON);
		expect(conn.closed).toBeUndefined();
		live = false;
		clock.advance(1000);
		expect(conn.closed?.reason).toBe(SESSION_ENDED_REASON);
	});

	test('stop closes everyone with 1001 and stops listening to the store', () => {
		const { hub, conn, send } = setup();
		send({ type: 'sub', id: 1, patterns: ['#'] });
		hub.stop();
		expect(conn.closed?.code).toBe(CloseCode.GoingAway);
		set('acme/a', 1);
		clock.advance(100);
		expect(conn.of('delta')).toEqual([]);
	});
});

describe('channels', () => {
	/** A channel that records what reaches it. */
	function recorder(messageTypes: ClientMessage['type'][] = ['tree.open', 'tree.close']) {
		const got: { event: string; session: ClientSession; msg?: ClientMessage }[] = [];
		const channel: HubChannel = {
			name: 'test',
			messageTypes,
			receive: (session, msg) => got.push({ event: 'receive', session, msg }),
			clientOpened: (session) => got.push({ event: 'opened', session }),
			clientClosed: (session) => got.push({ event: 'closed', session })
		};
		return { channel, got };
	}

	test('a registered channel gets the messages of its types and hears of clients that open and close; others stay the hub\'s', () => {
		const hub = new Hub(store, clock, silentLog);
		const { channel, got } = recorder();
		hub.registerChannel(channel);
		const conn = new FakeConnection();
		const session = hub.connect(conn, user());
		hub.receive(session, JSON.stringify({ type: 'tree.open', id: 1, path: 'acme' }));
		hub.receive(session, JSON.stringify({ type: 'tree.pause' })); // not its type, not the hub's: nothing happens
		hub.receive(session, JSON.stringify({ type: 'ping', id: 2 }));
		hub.disconnect(session);
		expect(got.map((g) => [g.event, g.session === session, g.msg?.type])).toEqual([
			['opened', true, undefined],
			['receive', true, 'tree.open'],
			['closed', true, undefined]
		]);
		expect(conn.of('pong')).toHaveLength(1);
	});

	test('a message the hub refuses (malformed, over the message rate) never reaches the channel', () => {
		const { hub, send } = setup({ messagesPerSecond: 1, messageBurst: 2 });
		const { channel, got } = recorder();
		hub.registerChannel(channel);
		send({ type: 'tree.open', id: 1 });
		send({ type: 'tree.open', id: 2, path: 'a' });
		send({ type: 'tree.open', id: 3, path: 'b' });
		expect(got.filter((g) => g.event === 'receive').map((g) => (g.msg as { id: number }).id)).toEqual([2]);
	});

	test('each message type has one handler: the hub\'s own and another channel\'s are refused; unregistering frees them', () => {
		const hub = new Hub(store, clock, silentLog);
		expect(() => hub.registerChannel(recorder(['sub']).channel)).toThrow(/sub/);
		const unregister = hub.registerChannel(recorder(['tree.open']).channel);
		expect(() => hub.registerChannel(recorder(['tree.close', 'tree.open']).channel)).toThrow(/tree\.open/);
		unregister();
		const second = recorder(['tree.open']);
		hub.registerChannel(second.channel);
		hub.receive(hub.connect(new FakeConnection(), user()), JSON.stringify({ type: 'tree.open', id: 1, path: '' }));
		expect(second.got.map((g) => g.event)).toEqual(['opened', 'receive']);
	});
});
