/**
 * The UNS browser's connection: its own WebSocket on /ws (the live client's socket carries the plant
 * subscriptions of every screen; the browser's tree traffic comes and goes with this page and must not
 * disturb those), the tree model, search, pause/resume and the followed topic. It reconnects by the same
 * policy as the live client, and like it takes a close with `session-ended` as final.
 */
import { Backoff, backoffPolicy, type BackoffPolicy } from '$lib/shared/backoff';
import { CloseCode, SESSION_ENDED_REASON, WS_PATH, type ErrorCode, type UnsClientMessage, type WireTreeNode } from '$lib/shared/protocol';
import type { Timers } from './live.svelte';
import { parseServerMessage } from './server-message';
import type { SocketFactory, SocketLike } from './socket';
import { appendMessages, fromWire, UnsModel, type DetailMessage } from './uns-model';

export interface UnsBrowserOptions {
	/** Changes to the shared reconnect policy (DEFAULT_BACKOFF). */
	backoff?: Partial<BackoffPolicy>;
	/** The server ended the session: the app goes to the login page (the live client's layout does so already). */
	onSessionEnded?: () => void;
	now?: () => number;
	random?: () => number;
	timers?: Pick<Timers, 'setTimeout' | 'clearTimeout'>;
}

const defaultTimers: Pick<Timers, 'setTimeout' | 'clearTimeout'> = {
	setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
	clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>)
};

export interface UnsDetail {
	path: string;
	node: WireTreeNode;
	messages: DetailMessage[];
}

export class UnsBrowser {
	readonly model = new UnsModel();
	/** Bumped on every change of the model, so `$derived` rows recompute. */
	version = $state(0);
	status = $state<'connecting' | 'open' | 'closed'>('connecting');
	paused = $state(false);
	searchResults = $state.raw<{ query: string; paths: string[]; truncated: boolean } | null>(null);
	detail = $state.raw<UnsDetail | null>(null);
	/** The last error code from the server, for a short notice. */
	error = $state<ErrorCode | null>(null);

	readonly #connect: SocketFactory;
	readonly #backoff: Backoff;
	readonly #now: () => number;
	readonly #timers: Pick<Timers, 'setTimeout' | 'clearTimeout'>;
	readonly #onSessionEnded: (() => void) | undefined;
	#socket: SocketLike | null = null;
	#stopped = false;
	#retry: unknown = null;
	#nextId = 1;
	#searchId = 0;
	#detailId = 0;
	#lastQuery = '';

	constructor(connect: SocketFactory, options: UnsBrowserOptions = {}) {
		this.#connect = connect;
		this.#backoff = new Backoff(backoffPolicy(options.backoff), options.random ?? Math.random);
		this.#now = options.now ?? (() => Date.now());
		this.#timers = options.timers ?? defaultTimers;
		this.#onSessionEnded = options.onSessionEnded;
	}

	start(): void {
		this.#stopped = false;
		this.#open();
	}

	stop(): void {
		this.#stopped = true;
		if (this.#retry !== null) this.#timers.clearTimeout(this.#retry);
		this.#retry = null;
		this.#socket?.close(1000, 'leaving');
		this.#socket = null;
	}

	expand(path: string): void {
		this.model.expand(path);
		this.version++;
		this.#send({ type: 'tree.open', id: this.#nextId++, path });
	}

	collapse(path: string): void {
		for (const p of this.model.collapse(path)) this.#send({ type: 'tree.close', path: p });
		this.version++;
	}

	toggle(path: string): void {
		if (this.model.expanded.has(path)) this.collapse(path);
		else this.expand(path);
	}

	search(query: string, byValue: boolean): void {
		const q = query.trim();
		this.#lastQuery = q;
		if (!q) {
			this.searchResults = null;
			return;
		}
		this.#searchId = this.#nextId++;
		this.#send({ type: 'tree.search', id: this.#searchId, query: q, byValue, limit: 200 });
	}

	setPaused(paused: boolean): void {
		this.paused = paused;
		this.#send({ type: paused ? 'tree.pause' : 'tree.resume' });
	}

	select(path: string | null): void {
		this.#detailId = this.#nextId++;
		this.detail = null;
		this.#send({ type: 'tree.detail', id: this.#detailId, path });
	}

	#open(): void {
		this.status = 'connecting';
		this.#socket = this.#connect({
			open: () => {
				this.status = 'open';
				this.#backoff.connected(this.#now());
				// A fresh connection knows nothing: open the root and every expanded node again.
				this.#send({ type: 'tree.open', id: this.#nextId++, path: '' });
				for (const path of this.model.expanded) this.#send({ type: 'tree.open', id: this.#nextId++, path });
				if (this.paused) this.#send({ type: 'tree.pause' });
				if (this.detail) this.select(this.detail.path);
			},
			message: (data) => this.#onMessage(data),
			close: (code, reason) => {
				this.status = 'closed';
				this.#socket = null;
				if (this.#stopped) return;
				if (code === CloseCode.Policy && reason === SESSION_ENDED_REASON) {
					// The session is gone: every retry would be refused, until the user logs in again.
					this.#stopped = true;
					this.#onSessionEnded?.();
					return;
				}
				this.#retry = this.#timers.setTimeout(() => {
					this.#retry = null;
					if (!this.#stopped) this.#open();
				}, this.#backoff.nextDelay(this.#now()));
			},
			error: () => {}
		});
	}

	#onMessage(data: string): void {
		const msg = parseServerMessage(data);
		if (!msg) return;
		switch (msg.type) {
			case 'tree':
				this.model.applyTree(msg);
				this.version++;
				if (this.detail) {
					const node = msg.nodes.find((n) => n.p === this.detail!.path);
					if (node) this.detail = { ...this.detail, node };
				}
				break;
			case 'tree.search':
				if (msg.id === this.#searchId) this.searchResults = { query: this.#lastQuery, paths: msg.paths, truncated: msg.truncated };
				break;
			case 'tree.detail':
				if (msg.id === this.#detailId) this.detail = { path: msg.path, node: msg.node, messages: appendMessages([], msg.history.map(fromWire)) };
				break;
			case 'tree.msgs':
				if (this.detail?.path === msg.path) {
					const messages = appendMessages(this.detail.messages, msg.msgs.map(fromWire));
					const last = messages[messages.length - 1];
					const node = last ? { ...this.detail.node, v: last.text, t: last.ts } : this.detail.node;
					this.detail = { ...this.detail, node, messages };
				}
				break;
			case 'error':
				this.error = msg.code;
				break;
		}
	}

	#send(msg: UnsClientMessage): void {
		this.#socket?.send(JSON.stringify(msg));
	}
}

export { WS_PATH };
