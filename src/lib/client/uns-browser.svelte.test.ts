import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { CloseCode, SESSION_ENDED_REASON } from '$lib/shared/protocol';
import { fakeSockets } from '$lib/testing/fake-socket';
import { UnsBrowser } from './uns-browser.svelte';

beforeEach(() => {
	vi.useFakeTimers();
	vi.setSystemTime(1_000_000);
});
afterEach(() => vi.useRealTimers());

describe('UnsBrowser reconnect', () => {
	test('a closed socket is reopened with backoff, and a fresh one opens the root and the expanded nodes again', () => {
		const { connect, sockets } = fakeSockets();
		const browser = new UnsBrowser(connect, { random: () => 0.999_999 });
		browser.start();
		sockets[0].open();
		browser.expand('acme');
		sockets[0].drop(1006);
		expect(browser.status).toBe('closed');
		vi.advanceTimersByTime(999);
		expect(sockets).toHaveLength(1);
		vi.advanceTimersByTime(1);
		expect(sockets).toHaveLength(2);
		sockets[1].drop(1006);
		vi.advanceTimersByTime(1_999);
		expect(sockets).toHaveLength(2);
		vi.advanceTimersByTime(1);
		expect(sockets).toHaveLength(3);
		sockets[2].open();
		expect(sockets[2].sent).toEqual([
			{ type: 'tree.open', id: expect.any(Number), path: '' },
			{ type: 'tree.open', id: expect.any(Number), path: 'acme' }
		]);
		browser.stop();
	});

	test('a close with session-ended is final: no reconnect (the app goes to the login page)', () => {
		const { connect, sockets } = fakeSockets();
		const onSessionEnded = vi.fn();
		const browser = new UnsBrowser(connect, { onSessionEnded });
		browser.start();
		sockets[0].open();
		sockets[0].drop(CloseCode.Policy, SESSION_ENDED_REASON);
		vi.advanceTimersByTime(60_000);
		expect(sockets).toHaveLength(1);
		expect(browser.status).toBe('closed');
		expect(onSessionEnded).toHaveBeenCalledOnce();
	});

	test('another policy close is retried', () => {
		const { connect, sockets } = fakeSockets();
		const browser = new UnsBrowser(connect);
		browser.start();
		sockets[0].open();
		sockets[0].drop(CloseCode.Policy, 'abuse');
		vi.advanceTimersByTime(60_000);
		expect(sockets.length).toBeGreaterThan(1);
		browser.stop();
	});

	test('stop cancels the pending retry', () => {
		const { connect, sockets } = fakeSockets();
		const browser = new UnsBrowser(connect);
		browser.start();
		sockets[0].drop(1006);
		browser.stop();
		vi.advanceTimersByTime(60_000);
		expect(sockets).toHaveLength(1);
	});
});
