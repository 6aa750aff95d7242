// The browser's offline/online events drive the live client directly, without waiting for a heartbeat.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { Quality } from '$lib/shared/protocol';
import { connectionView } from './connection-view';
import { LiveClient } from './live.svelte';
import type { NetworkStatus } from './socket';
import { fakeSockets } from '$lib/testing/fake-socket';

class FakeNetwork implements NetworkStatus {
	#listeners: ((online: boolean) => void)[] = [];
	constructor(public online = true) {}
	watch(onChange: (online: boolean) => void) {
		this.#listeners.push(onChange);
		return () => (this.#listeners = this.#listeners.filter((l) => l !== onChange));
	}
	set(online: boolean) {
		this.online = online;
		for (const l of this.#listeners) l(online);
	}
}

const T = 'acme/utrecht/packaging/line1/filler/product_temperature';

function setup(network: FakeNetwork) {
	const { connect, sockets, last } = fakeSockets();
	const live = new LiveClient({ connect, network, backoff: { jitter: 'none' } });
	live.subscribe(['acme/#']);
	return { live, sockets, last };
}

beforeEach(() => {
	vi.useFakeTimers();
	vi.setSystemTime(1_000_000);
});
afterEach(() => vi.useRealTimers());

describe('browser offline and online', () => {
	test('offline: shown at once, socket abandoned, values stale, writes off, no retries while offline', () => {
		const network = new FakeNetwork();
		const { live, sockets, last } = setup(network);
		live.start();
		last().h.open();
		last().snapshot(T, 7.5);
		expect([connectionView(live), live.canWrite, live.staleness(T)]).toEqual(['online', true, null]);

		network.set(false);
		expect(connectionView(live)).toBe('offline');
		expect(live.browserOffline).toBe(true);
		expect(last().closed).toEqual({ code: 1000, reason: 'browser-offline' });
		expect(live.tag(T).quality).toBe(Quality.Stale);
		expect(live.tag(T).value).toBe(7.5); // still readable, marked
		expect(live.staleness(T)).toBe('offline');
		expect(live.canWrite).toBe(false);
		// A late message from the abandoned socket changes nothing.
		sockets[0].snapshot(T, 9.9);
		expect(live.tag(T).value).toBe(7.5);
		vi.advanceTimersByTime(60_000);
		expect(sockets.length).toBe(1);
	});

	test('online: reconnects at once and trusts values only after the fresh snapshot', () => {
		const network = new FakeNetwork();
		const { live, sockets, last } = setup(network);
		live.start();
		last().h.open();
		last().snapshot(T, 7.5);
		network.set(false);
		network.set(true);
		expect(sockets.length).toBe(2);
		expect(connectionView(live)).toBe('connecting');
		expect(live.staleness(T)).toBe('offline');
		last().h.open();
		expect(live.canWrite).toBe(false); // open, but the snapshot is not in yet
		last().snapshot(T, 8.25);
		expect([connectionView(live), live.canWrite, live.staleness(T), live.tag(T).value]).toEqual(['online', true, null, 8.25]);
	});

	test('online but the server is not reachable yet: the usual backoff (1 s, then 2 s) takes over', () => {
		const network = new FakeNetwork();
		const { live, sockets, last } = setup(network);
		live.start();
		network.set(false);
		network.set(true);
		expect(sockets.length).toBe(2);
		last().h.close(1006, '');
		vi.advanceTimersByTime(999);
		expect(sockets.length).toBe(2);
		vi.advanceTimersByTime(1);
		expect(sockets.length).toBe(3);
		last().h.close(1006, '');
		vi.advanceTimersByTime(1999);
		expect(sockets.length).toBe(3);
		vi.advanceTimersByTime(1);
		expect(sockets.length).toBe(4);
	});

	test('started while offline: no socket until the network is back', () => {
		const network = new FakeNetwork(false);
		const { live, sockets } = setup(network);
		live.start();
		expect(sockets.length).toBe(0);
		expect(connectionView(live)).toBe('offline');
		network.set(true);
		expect(sockets.length).toBe(1);
		live.stop();
		network.set(false);
		network.set(true);
		expect(sockets.length).toBe(1); // stopped: the listeners are gone
	});
});
