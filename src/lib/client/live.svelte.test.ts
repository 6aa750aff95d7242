import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { ClientMessage } from '$lib/shared/protocol';
import { DEFAULT_SUBSCRIBE_RETRY_MS, LiveClient } from './live.svelte';
import { fakeSockets } from '$lib/testing/fake-socket';

const T = 'acme/utrecht/packaging/line1/filler/product_temperature';
const S = 'acme/utrecht/packaging/line1/filler/speed';
const SRC = '_sys/sources/line1/state';

function setup(opts: Partial<ConstructorParameters<typeof LiveClient>[0]> = {}) {
	const { connect, sockets, last } = fakeSockets();
	const onSessionEnded = vi.fn();
	// Without jitter unless a test asks for it: the waits are then exactly the policy's steps.
	const live = new LiveClient({ connect, onSessionEnded, backoff: { jitter: 'none' }, staleAfterMs: 30_000, ...opts });
	return { live, sockets, onSessionEnded, last };
}

/** Starts, opens and answers the subscription with a snapshot holding T, S and a connected source. */
function connected(opts?: Parameters<typeof setup>[0]) {
	const h = setup(opts);
	h.live.subscribe(['acme/#', '_sys/#']);
	h.live.start();
	const s = h.last();
	s.open();
	s.push({
		type: 'snapshot',
		id: s.lastSub().id,
		seq: 1,
		defs: [
			[1, T],
			[2, S],
			[3, SRC]
		],
		u: [
			[1, 7.5, 0, 1000],
			[2, 400, 0, 1000],
			[3, 'connected', 0, 1000]
		]
	});
	return h;
}

beforeEach(() => {
	vi.useFakeTimers();
	vi.setSystemTime(1_000_000);
});
afterEach(() => {
	vi.useRealTimers();
});

describe('subscriptions and values', () => {
	test('a tag is a placeholder before its first value, and the same object afterwards', () => {
		const { live, sockets } = setup();
		const early = live.tag(T);
		expect(early.hasValue).toBe(false);
		expect(early.value).toBeNull();
		live.subscribe(['acme/#']);
		live.start();
		expect(live.status).toBe('connecting');
		sockets[0].open();
		expect(live.status).toBe('open');
		expect(live.online).toBe(true);
		expect(sockets[0].sent).toEqual([{ type: 'sub', id: 1, patterns: ['acme/#'] }]);
		sockets[0].push({ type: 'snapshot', id: 1, seq: 1, defs: [[1, T]], u: [[1, 7.5, 0, 1000]] });
		expect(live.tag(T)).toBe(early);
		expect(early).toMatchObject({ value: 7.5, quality: 0, ts: 1000, receivedAt: 1_000_000 });
		expect(early.hasValue).toBe(true);
	});

	test('a delta updates only the tags it names', () => {
		const { live, last } = connected();
		const t = live.tag(T);
		const s = live.tag(S);
		vi.setSystemTime(1_005_000);
		last().push({ type: 'delta', seq: 2, u: [[1, 8.1, 0, 2000]] });
		expect(t).toMatchObject({ value: 8.1, ts: 2000, receivedAt: 1_005_000 });
		expect(s).toMatchObject({ value: 400, ts: 1000, receivedAt: 1_000_000 });
	});

	test('ids announced in a delta are used from then on', () => {
		const { live, last } = connected();
		const p = 'acme/utrecht/packaging/line1/filler/tank_level';
		last().push({ type: 'delta', seq: 2, defs: [[9, p]], u: [[9, 55, 0, 2000]] });
		last().push({ type: 'delta', seq: 3, u: [[9, 56, 1, 3000]] });
		expect(live.tag(p)).toMatchObject({ value: 56, quality: 1 });
	});

	test('subscribing while open sends at once; the returned function unsubscribes', () => {
		const { live, last } = connected();
		const off = live.subscribe(['x/#']);
		const sub = last().lastSub();
		expect(sub.patterns).toEqual(['x/#']);
		off();
		expect(last().sent.at(-1)).toEqual({ type: 'unsub', id: sub.id });
	});

	test('an error message is kept for display', () => {
		const { live, last } = connected();
		last().push({ type: 'error', code: 'HMI_ERR_BAD_PATTERN', message: 'bad', ref: 7 });
		expect(live.lastError).toEqual({ code: 'HMI_ERR_BAD_PATTERN', message: 'bad' });
	});

	test('malformed frames are ignored', () => {
		const { live, last } = connected();
		last().h.message('not json');
		last().h.message('null');
		expect(live.tag(T).value).toBe(7.5);
		expect(live.status).toBe('open');
	});
});

describe('sequence gaps', () => {
	test('a gap re-subscribes: old one dropped, then a new sub, the new snapshot is the truth', () => {
		const { live, last, sockets } = connected();
		const s = last();
		const oldId = s.lastSub().id;
		s.push({ type: 'delta', seq: 2, u: [[1, 8, 0, 2000]] });
		s.push({ type: 'delta', seq: 4, u: [[2, 410, 0, 4000]] }); // 3 is missing
		expect(live.resyncs).toBe(1);
		expect(live.tag(S).value).toBe(410); // what did arrive is kept
		const newSub = s.lastSub();
		expect(newSub.id).not.toBe(oldId);
		// Dropped first: a tab holding as many subscriptions as the server allows can resync too.
		expect(s.sent.slice(-2)).toEqual([{ type: 'unsub', id: oldId }, newSub]);
		expect(sockets).toHaveLength(1); // same socket
		s.push({ type: 'snapshot', id: newSub.id, seq: 10, defs: [], u: [[1, 9, 0, 5000]] });
		expect(live.tag(T).value).toBe(9);
		s.push({ type: 'delta', seq: 11, u: [[1, 9.5, 0, 6000]] });
		expect(live.tag(T).value).toBe(9.5);
		expect(live.resyncs).toBe(1);
	});

	test('subscriptions the server refused for its rate are asked for again, one after the other; until then the tab is not synced', () => {
		const h = setup();
		const unsubs = ['a/#', 'b/#', 'c/#'].map((p) => h.live.subscribe([p]));
		h.live.start();
		const s = h.last();
		s.open();
		const [a, b, c] = s.sent.filter((m) => m.type === 'sub') as { id: number; patterns: string[] }[];
		s.push({ type: 'snapshot', id: a.id, seq: 1, defs: [], u: [] });
		for (const refused of [b, c]) s.push({ type: 'error', code: 'HMI_ERR_SUBSCRIBE_RATE_LIMITED', message: 'later', ref: refused.id });
		expect(h.live.synced).toBe(false);
		const sentBefore = s.sent.length;
		vi.advanceTimersByTime(DEFAULT_SUBSCRIBE_RETRY_MS - 1);
		expect(s.sent).toHaveLength(sentBefore);
		vi.advanceTimersByTime(1);
		// One at a time: b again, and c only once b has its snapshot.
		const retryB = s.lastSub();
		expect(retryB.patterns).toEqual(['b/#']);
		expect(s.sent).toHaveLength(sentBefore + 1);
		s.push({ type: 'snapshot', id: retryB.id, seq: 2, defs: [], u: [] });
		expect(h.live.synced).toBe(false);
		const retryC = s.lastSub();
		expect(retryC.patterns).toEqual(['c/#']);
		// Refused again: asked again after the wait.
		s.push({ type: 'error', code: 'HMI_ERR_SUBSCRIBE_RATE_LIMITED', message: 'later', ref: retryC.id });
		vi.advanceTimersByTime(DEFAULT_SUBSCRIBE_RETRY_MS);
		const again = s.lastSub();
		expect(again.patterns).toEqual(['c/#']);
		expect(again.id).not.toBe(retryC.id);
		s.push({ type: 'snapshot', id: again.id, seq: 3, defs: [], u: [] });
		expect(h.live.synced).toBe(true);
		// No id the server refused was ever dropped (it holds nothing under it).
		expect(s.sent.filter((m) => m.type === 'unsub')).toEqual([]);
		unsubs[0]();
		expect(s.sent.at(-1)).toEqual({ type: 'unsub', id: a.id });
	});

	test('a retried subscription refused for good does not hold up the other refused ones', () => {
		const h = setup();
		for (const p of ['b/#', 'c/#']) h.live.subscribe([p]);
		h.live.start();
		const s = h.last();
		s.open();
		for (const sub of s.sent.filter((m) => m.type === 'sub') as { id: number }[])
			s.push({ type: 'error', code: 'HMI_ERR_SUBSCRIBE_RATE_LIMITED', message: 'later', ref: sub.id });
		vi.advanceTimersByTime(DEFAULT_SUBSCRIBE_RETRY_MS);
		const retryB = s.lastSub();
		expect(retryB.patterns).toEqual(['b/#']);
		s.push({ type: 'error', code: 'HMI_ERR_TOO_MANY_SUBSCRIPTIONS', message: 'no', ref: retryB.id });
		expect(s.lastSub().patterns).toEqual(['c/#']);
	});

	test('a refused subscription dropped before its retry is not asked for again, nor unsubscribed', () => {
		const h = setup();
		const drop = h.live.subscribe(['b/#']);
		h.live.start();
		const s = h.last();
		s.open();
		s.push({ type: 'error', code: 'HMI_ERR_SUBSCRIBE_RATE_LIMITED', message: 'later', ref: s.lastSub().id });
		expect(h.live.synced).toBe(false);
		drop();
		expect(h.live.synced).toBe(true);
		vi.advanceTimersByTime(DEFAULT_SUBSCRIBE_RETRY_MS);
		expect(s.sent).toHaveLength(1);
	});

	test('only one resync at a time: further gaps before its snapshot do not pile up', () => {
		const { live, last } = connected();
		last().push({ type: 'delta', seq: 5, u: [] });
		last().push({ type: 'delta', seq: 9, u: [] });
		expect(live.resyncs).toBe(1);
	});

	test('a delta right after a snapshot may carry the snapshot seq or the next one', () => {
		const a = connected();
		a.last().push({ type: 'delta', seq: 1, u: [[1, 8, 0, 2000]] });
		a.last().push({ type: 'delta', seq: 2, u: [[1, 9, 0, 3000]] });
		expect(a.live.resyncs).toBe(0);
		expect(a.live.tag(T).value).toBe(9);
		// … but not twice in a row.
		a.last().push({ type: 'delta', seq: 2, u: [] });
		expect(a.live.resyncs).toBe(1);
	});

	test('an id that was never announced forces a fresh connection', () => {
		const { live, sockets } = connected();
		sockets[0].push({ type: 'delta', seq: 2, u: [[42, 1, 0, 2000]] });
		expect(sockets[0].closed).toEqual({ code: 4000, reason: 'resync' });
		expect(sockets).toHaveLength(2);
		expect(live.status).toBe('connecting');
		sockets[1].open();
		expect(sockets[1].lastSub()).toMatchObject({ id: 1, patterns: ['acme/#', '_sys/#'] });
	});
});

describe('reconnect', () => {
	test('backs off exponentially, capped at 15 s, and re-subscribes on reopen', () => {
		const { live, sockets } = connected();
		sockets[0].drop(1006);
		expect(live.status).toBe('closed');
		expect(live.online).toBe(false);
		expect(live.failures).toBe(1);
		expect(live.retryAt).toBe(1_000_000 + 1_000);
		vi.advanceTimersByTime(999);
		expect(sockets).toHaveLength(1);
		vi.advanceTimersByTime(1);
		expect(sockets).toHaveLength(2);
		expect(live.status).toBe('connecting');

		const delays: number[] = [];
		for (let i = 0; i < 6; i++) {
			const before = Date.now();
			sockets[sockets.length - 1].drop(1006);
			delays.push((live.retryAt ?? 0) - before);
			vi.advanceTimersByTime(live.retryAt! - before);
		}
		expect(delays).toEqual([2_000, 4_000, 8_000, 15_000, 15_000, 15_000]);

		const s = sockets[sockets.length - 1];
		s.open();
		expect(live.failures).toBe(0);
		expect(s.sent).toEqual([{ type: 'sub', id: 1, patterns: ['acme/#', '_sys/#'] }]);
	});

	test('by default the wait is jittered from the injected random source: between half the step and the step, never above the cap', () => {
		for (const r of [0, 0.5, 0.999_999]) {
			const { live, sockets } = setup({ random: () => r, backoff: undefined });
			live.start();
			for (let i = 0; i < 8; i++) {
				const before = Date.now();
				sockets[sockets.length - 1].drop(1006);
				const d = live.retryAt! - before;
				const step = Math.min(15_000, 1_000 * 2 ** i);
				expect(d).toBe(Math.round(step / 2 + (step / 2) * r));
				vi.advanceTimersByTime(d);
			}
		}
	});

	test('a connection that stayed up 10 s starts the next outage from the first step; one that dropped sooner keeps backing off', () => {
		const { live, sockets } = setup();
		live.start();
		sockets[0].drop(1006);
		vi.advanceTimersByTime(1_000);
		sockets[1].drop(1006);
		vi.advanceTimersByTime(2_000);
		// Up for a moment only (a server that accepts and closes at once): the next wait is longer still.
		sockets[2].open();
		vi.advanceTimersByTime(500);
		sockets[2].drop(1006);
		expect(live.retryAt! - Date.now()).toBe(4_000);
		vi.advanceTimersByTime(4_000);
		sockets[3].open();
		vi.advanceTimersByTime(10_000);
		sockets[3].drop(1006);
		expect(live.retryAt! - Date.now()).toBe(1_000);
	});

	test('after reconnecting the snapshot is the truth: tags it lacks are no longer good', () => {
		const { live, sockets } = connected();
		sockets[0].drop(1001, 'shutdown');
		vi.advanceTimersByTime(1_000);
		const s = sockets[1];
		s.open();
		s.push({
			type: 'snapshot',
			id: s.lastSub().id,
			seq: 1,
			defs: [
				[5, T],
				[6, SRC]
			],
			u: [
				[5, 6.0, 0, 9000],
				[6, 'connected', 0, 9000]
			]
		});
		expect(live.tag(T).value).toBe(6);
		expect(live.tag(S).quality).toBe(1);
		expect(live.staleness(S, 'line1')).toBe('stale');
		expect(live.staleness(T, 'line1')).toBeNull();
	});

	test('after reopening, old values count as offline until the snapshot confirms them', () => {
		const { live, sockets } = connected();
		expect(live.synced).toBe(true);
		sockets[0].drop(1006);
		vi.advanceTimersByTime(1_000);
		const s = sockets[1];
		s.open();
		expect(live.status).toBe('open');
		expect(live.synced).toBe(false);
		expect(live.tag(T).value).toBe(7.5);
		expect(live.staleness(T, 'line1')).toBe('offline');
		s.push({
			type: 'snapshot',
			id: s.lastSub().id,
			seq: 1,
			defs: [
				[1, T],
				[3, SRC]
			],
			u: [
				[1, 7.9, 0, 9000],
				[3, 'connected', 0, 9000]
			]
		});
		expect(live.synced).toBe(true);
		expect(live.staleness(T, 'line1')).toBeNull();
	});

	test('with several subscriptions, synced waits for every snapshot (an error answer counts)', () => {
		const { live, sockets } = setup();
		live.subscribe(['a/#']);
		live.subscribe(['b/#']);
		live.start();
		sockets[0].open();
		const [a, b] = sockets[0].sent as Extract<ClientMessage, { type: 'sub' }>[];
		sockets[0].push({ type: 'snapshot', id: a.id, seq: 1, defs: [], u: [] });
		expect(live.synced).toBe(false);
		sockets[0].push({ type: 'error', code: 'HMI_ERR_BAD_PATTERN', message: 'x', ref: b.id });
		expect(live.synced).toBe(true);
	});

	test('with no subscriptions an open socket is synced at once', () => {
		const { live, sockets } = setup();
		live.start();
		sockets[0].open();
		expect(live.synced).toBe(true);
	});

	test('close 1008 session-ended: no reconnect, the app is told', () => {
		const { live, sockets, onSessionEnded } = connected();
		sockets[0].drop(1008, 'session-ended');
		expect(onSessionEnded).toHaveBeenCalledOnce();
		expect(live.sessionEnded).toBe(true);
		expect(live.status).toBe('closed');
		vi.advanceTimersByTime(60_000);
		expect(sockets).toHaveLength(1);
		live.start();
		expect(sockets).toHaveLength(1);
	});

	test('another 1008 asks the app to re-check the login and keeps retrying', () => {
		const onPolicyClose = vi.fn();
		const { sockets } = connected({ onPolicyClose });
		sockets[0].drop(1008, 'abuse');
		expect(onPolicyClose).toHaveBeenCalledWith('abuse');
		vi.advanceTimersByTime(1_000);
		expect(sockets).toHaveLength(2);
	});

	test('stop closes the socket and cancels retries; events from the old socket are ignored', () => {
		const { live, sockets } = connected();
		live.stop();
		expect(sockets[0].closed).toEqual({ code: 1000, reason: 'client-stop' });
		sockets[0].drop(1000);
		vi.advanceTimersByTime(60_000);
		expect(sockets).toHaveLength(1);
		expect(live.status).toBe('closed');
	});

	test('retryNow skips the remaining backoff', () => {
		const { live, sockets } = connected();
		sockets[0].drop(1006);
		vi.advanceTimersByTime(1_000);
		sockets[1].drop(1006);
		expect(live.retryAt).toBe(Date.now() + 2_000);
		live.retryNow();
		expect(sockets).toHaveLength(3);
		expect(live.retryAt).toBeNull();
	});
});

describe('staleness', () => {
	test('each reason, most fundamental first', () => {
		const { live, last } = connected();
		expect(live.staleness(T, 'line1')).toBeNull();
		expect(live.isStale(T, 'line1')).toBe(false);
		expect(live.staleness('acme/nothing/here', 'line1')).toBe('novalue');

		last().push({ type: 'delta', seq: 2, u: [[1, 7.6, 1, 2000]] });
		expect(live.staleness(T, 'line1')).toBe('stale');
		last().push({ type: 'delta', seq: 3, u: [[1, 7.6, 2, 2000]] });
		expect(live.staleness(T, 'line1')).toBe('bad');
		last().push({ type: 'delta', seq: 4, u: [[1, 7.6, 0, 2000]] });
		expect(live.staleness(T, 'line1')).toBeNull();

		last().push({ type: 'delta', seq: 5, u: [[3, 'disconnected', 0, 3000]] });
		expect(live.sourceState('line1')).toBe('disconnected');
		expect(live.staleness(T, 'line1')).toBe('source');
		expect(live.staleness(T)).toBeNull(); // no source given: only the value itself counts
		expect(live.staleness(T, 'unknown-source')).toBe('source');
		last().push({ type: 'delta', seq: 6, u: [[3, 'connected', 0, 3000]] });

		last().drop(1006);
		expect(live.staleness(T, 'line1')).toBe('offline');
	});

	test('a value not refreshed within staleAfterMs turns stale as the clock ticks', () => {
		const { live, last } = connected({ staleAfterMs: 30_000 });
		// The socket stays open; keep the source tag fresh and let T age.
		vi.advanceTimersByTime(30_000);
		expect(live.now).toBe(1_030_000);
		expect(live.staleness(T, 'line1')).toBeNull();
		vi.advanceTimersByTime(1_000);
		expect(live.staleness(T, 'line1')).toBe('age');
		last().push({ type: 'delta', seq: 2, u: [[1, 7.7, 0, 2000]] });
		expect(live.staleness(T, 'line1')).toBeNull();
	});

	test('a steady value stays fresh while its source keeps talking (report by exception)', () => {
		const { live, last } = connected({ staleAfterMs: 30_000 });
		live.setSourceScopes([{ sourceId: 'line1', prefix: 'acme/utrecht/packaging/line1/' }]);
		const STATE = 'acme/utrecht/packaging/line1/filler/state';
		last().push({ type: 'delta', seq: 2, defs: [[7, STATE]], u: [[7, 'running', 0, 1000]] });
		for (let i = 0; i < 6; i++) {
			vi.advanceTimersByTime(10_000);
			last().push({ type: 'delta', seq: 3 + i, u: [[1, 7.5 + i / 10, 0, 2000]] });
		}
		expect(live.now - live.tag(STATE).receivedAt).toBe(60_000);
		expect(live.staleness(STATE, 'line1')).toBeNull();
		// Without the source given, only the tag's own age counts.
		expect(live.staleness(STATE)).toBe('age');
		// The whole source goes quiet: after the threshold everything of it is too old.
		vi.advanceTimersByTime(31_000);
		expect(live.staleness(STATE, 'line1')).toBe('age');
		expect(live.staleness(T, 'line1')).toBe('age');
	});
});
