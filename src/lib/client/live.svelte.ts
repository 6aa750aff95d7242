/**
 * Live tag values over the WebSocket (/ws), one connection per browser tab.
 *
 * - Screens call `live.tag(path)` and read `value`, `quality`, `ts`, `receivedAt`: each is its own `$state`,
 *   so a delta re-renders only the places that show the tags it names.
 * - `subscribe(patterns)` registers MQTT-style patterns; they are (re)sent on every (re)connect and the
 *   snapshot that answers each one is taken as the truth.
 * - Deltas carry a sequence number; a gap (or an id never announced) means something was lost, so the
 *   client resynchronises: it re-subscribes (fresh snapshots), or reconnects when ids are unknown.
 * - Reconnects back off by the shared policy (`$lib/shared/backoff`: 1 s doubling to 15 s, equal jitter,
 *   reset once a connection stayed up 10 s). A close with 1008 `session-ended` is final: the session is
 *   gone, so the app goes to the login page instead of retrying.
 * - `staleness(path, sourceId)` tells a screen why a value must not be trusted (or null when it may).
 * - When the browser reports the network gone (`offline` event), the client does not wait for a heartbeat
 *   to time out: it shows offline at once, abandons the socket, marks every value Stale and stops retrying;
 *   on `online` it reconnects at once (then the usual backoff) and takes the fresh snapshots as the truth.
 *
 * Age: sources report by exception (an OPC UA monitored item sends nothing while a value stands still), so
 * a steady value is not old as long as its source keeps talking. A value counts as too old when neither it
 * nor anything else from its source (see `setSourceScopes`) reached this tab within `staleAfterMs`: that
 * catches a stuck pipeline (half-open socket, hung server, silent source) without flagging a machine that
 * has simply been running for an hour. The server marks per-tag silence itself (quality 1).
 */
import { createContext } from 'svelte';
import {
	CloseCode,
	Quality,
	SESSION_ENDED_REASON,
	SOURCE_STATE_PREFIX,
	type ClientMessage,
	type ErrorCode,
	type ServerMessage,
	type SourceState,
	type TagValue,
	type WireDef,
	type WireUpdate
} from '$lib/shared/protocol';
import { browserNetwork, type NetworkStatus, type SocketFactory, type SocketLike } from './socket';
import { parseServerMessage } from './server-message';
import { compilePattern, matchesAny } from '$lib/shared/uns-path';
import { Backoff, backoffPolicy, type BackoffPolicy } from '$lib/shared/backoff';

/** How often `now` ticks, so age-based staleness shows without any message arriving. */
export const DEFAULT_CLOCK_TICK_MS = 1_000;
/** Used when the plant gives no `staleAfterS`. */
export const DEFAULT_STALE_AFTER_MS = 30_000;
/**
 * A subscription the server refused for its re-subscription rate (HMI_ERR_SUBSCRIBE_RATE_LIMITED, e.g. a
 * second resync right after the first) is asked for again after this long; the server refills 5 per second.
 */
export const DEFAULT_SUBSCRIBE_RETRY_MS = 2_000;

export type LiveStatus = 'connecting' | 'open' | 'closed';

/**
 * Why a value must not be trusted, most fundamental first:
 * `offline` socket not open · `source` the line's data source is not connected · `novalue` nothing
 * received yet · `bad` quality 2 · `stale` quality 1 · `age` nothing heard of it (or its source) within the
 * stale threshold.
 */
export type StaleReason = 'offline' | 'source' | 'novalue' | 'bad' | 'stale' | 'age';

/** One tag's latest value. Created on first use by `LiveClient.tag`, so screens can bind before data arrives. */
export class LiveTag {
	readonly path: string;
	/** Raw so that JSON values are not deep-proxied; a new value replaces the old one. */
	value = $state.raw<TagValue>(null);
	quality = $state<Quality>(Quality.Stale);
	/** Source timestamp (epoch ms), 0 before the first value. */
	ts = $state(0);
	/** When this tab received the value (epoch ms by the client's clock), 0 before the first value. */
	receivedAt = $state(0);

	constructor(path: string) {
		this.path = path;
	}

	get hasValue(): boolean {
		return this.receivedAt > 0;
	}
}

export interface Timers {
	setTimeout(fn: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
	setInterval(fn: () => void, ms: number): unknown;
	clearInterval(handle: unknown): void;
}

export interface LiveClientOptions {
	/** Opens a socket; the browser passes `browserSocketFactory(WS_PATH)`, tests a fake. */
	connect: SocketFactory;
	/** The server said the session ended (logout, expiry): the app should go to the login page. */
	onSessionEnded?: () => void;
	/**
	 * The server closed with a policy violation other than `session-ended`: the app may re-check the login
	 * (e.g. re-run its layout load, which redirects when logged out). Reconnecting continues meanwhile.
	 */
	onPolicyClose?: (reason: string) => void;
	/** A value older than this (by `receivedAt`) is stale. */
	staleAfterMs?: number;
	/** The browser's network state; default: `navigator.onLine` and window events in a browser, none elsewhere. */
	network?: NetworkStatus | null;
	/** Changes to the shared reconnect policy (DEFAULT_BACKOFF); tests shorten it or switch jitter off. */
	backoff?: Partial<BackoffPolicy>;
	subscribeRetryMs?: number;
	clockTickMs?: number;
	now?: () => number;
	random?: () => number;
	timers?: Timers;
}

/** Which paths a data source feeds: a line's `sourceId` and its UNS path prefix. */
export interface SourceScope {
	sourceId: string;
	/** e.g. `acme/utrecht/packaging/line1` (without a trailing slash). */
	prefix: string;
}

interface Subscription {
	patterns: string[];
	/** Id used on the current connection, or null while not sent. */
	wireId: number | null;
	/** The server refused `wireId` for its rate: it holds nothing under that id, and it is asked for again. */
	refused?: boolean;
}

const defaultTimers: Timers = {
	setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
	clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
	setInterval: (fn, ms) => globalThis.setInterval(fn, ms),
	clearInterval: (h) => globalThis.clearInterval(h as ReturnType<typeof setInterval>)
};

export class LiveClient {
	/** Socket state; `closed` also while waiting to reconnect (see `retryAt`). */
	status = $state<LiveStatus>('closed');
	/**
	 * True once every subscription has had its snapshot on the current connection. Until then the values
	 * held from before are unconfirmed and count as `offline`.
	 */
	synced = $state(false);
	/** Failed connection attempts in a row (0 once a connection opens). */
	failures = $state(0);
	/** When the next reconnect attempt is due (epoch ms), or null. */
	retryAt = $state<number | null>(null);
	/** True once the server ended the session: no more reconnects. */
	sessionEnded = $state(false);
	/** True while the browser reports no network (between its `offline` and `online` events). */
	browserOffline = $state(false);
	/** The last `error` message from the server, for display (`errors.<code>`). */
	lastError = $state<{ code: ErrorCode; message: string } | null>(null);
	/** Client clock, ticking every `clockTickMs` while started; age-based staleness reads it. */
	now = $state(0);
	/** Resynchronisations after a sequence gap (diagnostics, tests). */
	resyncs = $state(0);
	staleAfterMs: number;
	/**
	 * Bumped when placeholder tags receive their first value. Svelte does not track signals in the very
	 * reaction run that created them, so a `$derived` that calls `tag()` for a new path would miss that
	 * tag's first value; `tag()` makes such a reader depend on this counter instead, once.
	 */
	#firstValues = $state(0);

	readonly #opts: Required<Omit<LiveClientOptions, 'onSessionEnded' | 'onPolicyClose' | 'staleAfterMs' | 'network' | 'backoff'>> &
		Pick<LiveClientOptions, 'onSessionEnded' | 'onPolicyClose' | 'network'>;
	readonly #backoff: Backoff;
	/** Every tag ever asked for or received; never shrinks (a tab shows a bounded plant). */
	readonly #tags = new Map<string, LiveTag>();
	readonly #subs = new Map<number, Subscription>();
	#nextSubKey = 1;

	#socket: SocketLike | null = null;
	/** Bumped per connection; events from older sockets are ignored. */
	#generation = 0;
	#byId = new Map<number, LiveTag>();
	#nextWireId = 1;
	#lastSeq: number | null = null;
	#lastWasSnapshot = false;
	/** Wire ids of subscriptions whose snapshot is still awaited (a resync is in flight while non-empty). */
	#pendingSnapshots = new Set<number>();
	#started = false;
	#retryTimer: unknown = null;
	/** Asks again for the subscriptions the server refused for its rate (one timer for all of them). */
	#subscribeRetryTimer: unknown = null;
	/** Wire id of the refused subscription asked for again, whose snapshot lets the next one go. */
	#retryingWireId: number | null = null;
	#scopes: SourceScope[] = [];
	/**
	 * When anything from each source last arrived. Deliberately not `$state`: every delta would otherwise
	 * re-run every value's staleness. Readers depend on `now`, so they see it within one clock tick.
	 */
	readonly #sourceHeardAt = new Map<string, number>();
	#clockTimer: unknown = null;
	#unwatchNetwork: (() => void) | null = null;

	constructor(options: LiveClientOptions) {
		this.#opts = {
			subscribeRetryMs: DEFAULT_SUBSCRIBE_RETRY_MS,
			clockTickMs: DEFAULT_CLOCK_TICK_MS,
			now: () => Date.now(),
			random: Math.random,
			timers: defaultTimers,
			...options
		};
		this.staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
		this.#backoff = new Backoff(backoffPolicy(options.backoff), this.#opts.random);
		this.now = this.#opts.now();
	}

	/** True while the socket is open. */
	get online(): boolean {
		return this.status === 'open';
	}

	/**
	 * True when a write (acknowledge, shelve, setpoint) may be offered: connected, every snapshot in, browser
	 * online. Write buttons read this, so they are disabled exactly while the values are not current.
	 */
	get canWrite(): boolean {
		return this.status === 'open' && this.synced && !this.browserOffline && !this.sessionEnded;
	}

	/** The tag at `path`; a placeholder (no value, stale) until the first value arrives. */
	tag(path: string): LiveTag {
		let t = this.#tags.get(path);
		if (!t) {
			t = new LiveTag(path);
			this.#tags.set(path, t);
			void this.#firstValues;
		}
		return t;
	}

	/**
	 * Every tag that holds a value and whose path passes `test` (e.g. all alarm tags), in arrival order.
	 * A reader re-runs when such a tag first gets a value; it depends on each returned tag's fields as it reads them.
	 */
	tagsWhere(test: (path: string) => boolean): LiveTag[] {
		void this.#firstValues;
		const out: LiveTag[] = [];
		for (const t of this.#tags.values()) if (t.hasValue && test(t.path)) out.push(t);
		return out;
	}

	/** Tells the client which paths each data source feeds (from the plant's lines), for age-based staleness. */
	setSourceScopes(scopes: SourceScope[]): void {
		this.#scopes = scopes.map((s) => ({ sourceId: s.sourceId, prefix: s.prefix.replace(/\/+$/, '') }));
	}

	/** State of the data source `sourceId` (its `_sys/sources/<id>/state` tag), or `unknown` before it is known. */
	sourceState(sourceId: string): SourceState | 'unknown' {
		const v = this.tag(`${SOURCE_STATE_PREFIX}${sourceId}/state`).value;
		return v === 'connecting' || v === 'connected' || v === 'disconnected' ? v : 'unknown';
	}

	/**
	 * Why the value at `path` must not be trusted, or null when it is good.
	 * @param sourceId the data source of the tag's line; omitted for tags without one
	 */
	staleness(path: string, sourceId?: string): StaleReason | null {
		if (this.status !== 'open' || !this.synced) return 'offline';
		if (sourceId !== undefined && this.sourceState(sourceId) !== 'connected') return 'source';
		const t = this.tag(path);
		if (!t.hasValue) return 'novalue';
		if (t.quality === Quality.Bad) return 'bad';
		if (t.quality !== Quality.Good) return 'stale';
		const heard = Math.max(t.receivedAt, sourceId === undefined ? 0 : (this.#sourceHeardAt.get(sourceId) ?? 0));
		if (this.now - heard > this.staleAfterMs) return 'age';
		return null;
	}

	/** Shorthand: true when `staleness` gives a reason. */
	isStale(path: string, sourceId?: string): boolean {
		return this.staleness(path, sourceId) !== null;
	}

	/**
	 * Subscribes to MQTT-style `patterns` (`acme/#`, `_sys/+/x`) for as long as the client lives, across
	 * reconnects. Returns a function that unsubscribes.
	 */
	subscribe(patterns: string[]): () => void {
		const key = this.#nextSubKey++;
		const sub: Subscription = { patterns: [...patterns], wireId: null };
		this.#subs.set(key, sub);
		if (this.status === 'open') this.#sendSub(sub);
		return () => {
			if (!this.#subs.delete(key)) return;
			if (sub.wireId !== null && this.status === 'open') {
				this.#pendingSnapshots.delete(sub.wireId);
				if (!sub.refused) this.#send({ type: 'unsub', id: sub.wireId });
				this.#checkSynced();
			}
		};
	}

	/** Opens the connection (idempotent). Call in the browser only (`onMount` / `$effect`). */
	start(): void {
		if (this.#started || this.sessionEnded) return;
		this.#started = true;
		this.now = this.#opts.now();
		this.#clockTimer = this.#opts.timers.setInterval(() => {
			this.now = this.#opts.now();
		}, this.#opts.clockTickMs);
		const network = this.#opts.network === undefined ? (typeof window === 'undefined' ? null : browserNetwork()) : this.#opts.network;
		this.#unwatchNetwork = network?.watch((up) => (up ? this.#networkBack() : this.#networkLost())) ?? null;
		if (network && !network.online) this.#networkLost();
		else this.#open();
	}

	/** Closes the connection and stops reconnecting. */
	stop(): void {
		this.#started = false;
		this.#clearRetry();
		if (this.#clockTimer !== null) this.#opts.timers.clearInterval(this.#clockTimer);
		this.#clockTimer = null;
		this.#unwatchNetwork?.();
		this.#unwatchNetwork = null;
		this.#dropSocket(1000, 'client-stop');
		this.#clearSubscribeRetry();
		this.status = 'closed';
		this.synced = false;
	}

	/** Reconnects now instead of waiting for the backoff (e.g. the browser came back online). */
	retryNow(): void {
		if (!this.#started || this.sessionEnded || this.status !== 'closed') return;
		this.#clearRetry();
		this.#open();
	}

	// --- connection -------------------------------------------------------------------------------------

	/**
	 * The browser lost its network. An open socket may look fine for a heartbeat or longer (no FIN arrives),
	 * so it is abandoned now and every value is marked Stale: nothing from before may look current.
	 */
	#networkLost(): void {
		if (!this.#started) return;
		this.browserOffline = true;
		this.#clearRetry();
		this.#dropSocket(1000, 'browser-offline');
		this.status = 'closed';
		this.synced = false;
		for (const t of this.#tags.values()) if (t.hasValue && t.quality === Quality.Good) t.quality = Quality.Stale;
	}

	/** The network is back: try at once; if that fails, the usual backoff takes over. */
	#networkBack(): void {
		if (!this.#started || !this.browserOffline) return;
		this.browserOffline = false;
		this.failures = 0;
		this.#backoff.reset();
		this.#clearRetry();
		if (this.status === 'closed' && !this.sessionEnded) this.#open();
	}

	#open(): void {
		const gen = ++this.#generation;
		this.#byId = new Map();
		this.#sourceHeardAt.clear();
		this.#nextWireId = 1;
		this.#lastSeq = null;
		this.#lastWasSnapshot = false;
		this.#pendingSnapshots.clear();
		this.#clearSubscribeRetry();
		for (const sub of this.#subs.values()) {
			sub.wireId = null;
			sub.refused = false;
		}
		this.status = 'connecting';
		this.synced = false;
		this.retryAt = null;
		const live = () => gen === this.#generation;
		try {
			this.#socket = this.#opts.connect({
				open: () => live() && this.#onOpen(),
				message: (data) => live() && this.#onMessage(data),
				close: (code, reason) => live() && this.#onClose(code, reason),
				// Every error is followed by a close; the close decides what happens next.
				error: () => {}
			});
		} catch {
			this.#socket = null;
			this.#onClose(1006, '');
		}
	}

	#onOpen(): void {
		this.status = 'open';
		// A socket that opens proves the network, whatever the browser last said.
		this.browserOffline = false;
		this.failures = 0;
		this.#backoff.connected(this.#opts.now());
		this.lastError = null;
		for (const sub of this.#subs.values()) this.#sendSub(sub);
		this.synced = this.#pendingSnapshots.size === 0;
	}

	#onClose(code: number, reason: string): void {
		const wasOpen = this.status === 'open';
		this.#socket = null;
		this.#generation++;
		this.status = 'closed';
		this.synced = false;
		if (code === CloseCode.Policy && reason === SESSION_ENDED_REASON) {
			this.sessionEnded = true;
			this.stop();
			this.#opts.onSessionEnded?.();
			return;
		}
		if (code === CloseCode.Policy) this.#opts.onPolicyClose?.(reason);
		if (!this.#started) return;
		// For the indicator: a connection that was up counts as the first failure. The wait is the policy's:
		// it starts from the first step again only after a connection that stayed up for a while.
		this.failures = wasOpen ? 1 : this.failures + 1;
		this.#scheduleRetry();
	}

	#scheduleRetry(): void {
		const { timers } = this.#opts;
		const now = this.#opts.now();
		const delay = this.#backoff.nextDelay(now);
		this.retryAt = now + delay;
		this.#clearRetry(false);
		this.#retryTimer = timers.setTimeout(() => {
			this.#retryTimer = null;
			if (this.#started && this.status === 'closed') this.#open();
		}, delay);
	}

	#clearRetry(resetAt = true): void {
		if (this.#retryTimer !== null) this.#opts.timers.clearTimeout(this.#retryTimer);
		this.#retryTimer = null;
		if (resetAt) this.retryAt = null;
	}

	#dropSocket(code: number, reason: string): void {
		const s = this.#socket;
		this.#socket = null;
		this.#generation++;
		try {
			s?.close(code, reason);
		} catch {
			/* already closed */
		}
	}

	/** Something was lost beyond what a re-subscribe can repair (unknown ids): start over on a new socket. */
	#reconnect(): void {
		this.resyncs++;
		this.#dropSocket(4000, 'resync');
		this.status = 'closed';
		if (this.#started) this.#open();
	}

	#send(msg: ClientMessage): void {
		this.#socket?.send(JSON.stringify(msg));
	}

	#sendSub(sub: Subscription): void {
		const id = this.#nextWireId++;
		sub.wireId = id;
		sub.refused = false;
		this.#pendingSnapshots.add(id);
		this.#send({ type: 'sub', id, patterns: sub.patterns });
	}

	/**
	 * Fresh snapshots for every subscription on the same socket: drop the old id, then subscribe anew, one
	 * subscription after the other, so the server never holds more than it allows (a tab at
	 * WS_MAX_SUBSCRIPTIONS could not resync otherwise). An id the server refused holds nothing there: it is
	 * not dropped, and the new `sub` replaces the pending retry.
	 */
	#resubscribe(): void {
		if (this.#pendingSnapshots.size > 0) return; // a resync is already under way
		this.resyncs++;
		this.#lastSeq = null;
		this.#clearSubscribeRetry();
		for (const sub of this.#subs.values()) {
			if (sub.wireId !== null && !sub.refused) this.#send({ type: 'unsub', id: sub.wireId });
			this.#sendSub(sub);
		}
	}

	/**
	 * The server refused a `sub` for its rate: it is asked for again after `subscribeRetryMs`, and then the
	 * other refused ones one at a time, each as soon as the one before has its snapshot, so the retries go at
	 * the server's pace instead of being refused again together. Its id stays pending meanwhile: the tab is
	 * not `synced` with a subscription the server does not hold.
	 */
	#subscribeRefused(ref: number): void {
		const sub = [...this.#subs.values()].find((s) => s.wireId === ref);
		if (!sub) {
			if (this.#pendingSnapshots.delete(ref)) this.#checkSynced();
			return;
		}
		sub.refused = true;
		if (this.#retryingWireId === ref) this.#retryingWireId = null;
		if (this.#subscribeRetryTimer !== null || this.#retryingWireId !== null) return;
		this.#subscribeRetryTimer = this.#opts.timers.setTimeout(() => {
			this.#subscribeRetryTimer = null;
			this.#retryNextRefused();
		}, this.#opts.subscribeRetryMs);
	}

	#retryNextRefused(): void {
		this.#retryingWireId = null;
		if (this.status !== 'open') return;
		const next = [...this.#subs.values()].find((s) => s.refused);
		if (!next) return;
		if (next.wireId !== null) this.#pendingSnapshots.delete(next.wireId);
		this.#sendSub(next);
		this.#retryingWireId = next.wireId;
	}

	#clearSubscribeRetry(): void {
		if (this.#subscribeRetryTimer !== null) this.#opts.timers.clearTimeout(this.#subscribeRetryTimer);
		this.#subscribeRetryTimer = null;
		this.#retryingWireId = null;
	}

	// --- messages ---------------------------------------------------------------------------------------

	#onMessage(data: string): void {
		const msg = parseServerMessage(data);
		if (!msg) return;
		switch (msg.type) {
			case 'snapshot':
				return this.#onSnapshot(msg);
			case 'delta':
				return this.#onDelta(msg);
			case 'error':
				this.lastError = { code: msg.code, message: msg.message };
				if (msg.ref !== undefined && msg.code === 'HMI_ERR_SUBSCRIBE_RATE_LIMITED' && this.#pendingSnapshots.has(msg.ref)) this.#subscribeRefused(msg.ref);
				else if (msg.ref !== undefined && this.#pendingSnapshots.delete(msg.ref)) {
					// Refused for good (e.g. too many subscriptions): the next refused one may go.
					if (msg.ref === this.#retryingWireId) this.#retryNextRefused();
					this.#checkSynced();
				}
				return;
			default:
				return;
		}
	}

	#onSnapshot(msg: Extract<ServerMessage, { type: 'snapshot' }>): void {
		this.#define(msg.defs);
		if (this.#lastSeq === null || msg.seq > this.#lastSeq) this.#lastSeq = msg.seq;
		this.#lastWasSnapshot = true;
		this.#pendingSnapshots.delete(msg.id);
		if (msg.id === this.#retryingWireId) this.#retryNextRefused();
		this.#checkSynced();
		const sub = [...this.#subs.values()].find((s) => s.wireId === msg.id);
		if (!sub) return; // answer to a subscription dropped meanwhile
		const now = this.#opts.now();
		const seen = new Set<string>();
		if (!this.#apply(msg.u, now, seen)) return;
		// The snapshot is the truth: a tag under these patterns that the server no longer has is not current.
		const compiled = sub.patterns.map(compilePattern);
		for (const t of this.#tags.values()) {
			if (!seen.has(t.path) && t.hasValue && matchesAny(compiled, t.path)) t.quality = Quality.Stale;
		}
	}

	#checkSynced(): void {
		if (!this.synced && this.#pendingSnapshots.size === 0) this.synced = true;
	}

	#onDelta(msg: Extract<ServerMessage, { type: 'delta' }>): void {
		if (msg.defs) this.#define(msg.defs);
		if (this.#lastSeq !== null) {
			// After a snapshot, accept the snapshot's own seq too: it may name the last delta or the next one.
			const expected = msg.seq === this.#lastSeq + 1 || (this.#lastWasSnapshot && msg.seq === this.#lastSeq);
			if (!expected) {
				// Keep what did arrive (newer than what we have), then fetch the full picture again.
				if (this.#apply(msg.u, this.#opts.now())) this.#resubscribe();
				return;
			}
		}
		this.#lastSeq = msg.seq;
		this.#lastWasSnapshot = false;
		this.#apply(msg.u, this.#opts.now());
	}

	#define(defs: WireDef[]): void {
		for (const [id, path] of defs) this.#byId.set(id, this.tag(path));
	}

	/** Writes updates into their tags; false (and a reconnect) when an id was never announced. */
	#apply(updates: WireUpdate[], now: number, seen?: Set<string>): boolean {
		let unknown = false;
		let first = false;
		const scopes = this.#scopes;
		for (const [id, value, quality, ts] of updates) {
			const t = this.#byId.get(id);
			if (!t) {
				unknown = true;
				continue;
			}
			if (!t.hasValue) first = true;
			t.value = value;
			t.quality = quality;
			t.ts = ts;
			t.receivedAt = now;
			seen?.add(t.path);
			for (const s of scopes) {
				if (t.path.startsWith(s.prefix) && t.path.charCodeAt(s.prefix.length) === 47 /* '/' */) {
					this.#sourceHeardAt.set(s.sourceId, now);
					break;
				}
			}
		}
		if (first) this.#firstValues++;
		if (unknown) {
			this.#reconnect();
			return false;
		}
		return true;
	}
}

const [getLiveContext, setLiveContext] = createContext<LiveClient>();

/** The tab's `LiveClient`, provided by the `(app)` layout. */
export const getLive = getLiveContext;
export const setLive = setLiveContext;
