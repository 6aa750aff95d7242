import { randomBytes } from 'node:crypto';
import { CloseCode, SESSION_ENDED_REASON, type ClientMessage, type ServerMessage, type WireDef, type WireUpdate } from '$lib/shared/protocol';
import type { SessionUser } from '../auth/auth-service';
import type { Clock } from '../clock';
import type { TagRecord, TagStore } from '../domain/tags/tag-store';
import { compilePattern, matchesPattern, type CompiledPattern } from '$lib/shared/uns-path';
import type { Logger } from '../log';
import type { HubChannel } from './channel';
import { ClientSession } from './client-session';
import type { Connection } from './connection';
import { ConnectionQuota } from './connection-quota';
import { errorFrame } from './errors';
import { parseClientMessage } from './messages';
import { DeltaFrames } from './delta-frame';
import { groupKeyOf, SubscriptionGroup } from './subscription-group';
import { admitAnswer, isBehind, isReading } from './unread';

/** Every limit of the hub, with the value it has unless configured. */
export interface HubLimits {
	/** Shortest time between two batches, ms (one display frame). */
	batchMs: number;
	/**
	 * Frames per second the hub may send in all. With many clients the batch interval stretches so that
	 * clients × batches/s stays within this: a thousand tablets then get 20 batches/s instead of 60, and no
	 * one is dropped. Latency grows by the interval, which is what the budget trades.
	 */
	maxFramesPerSecond: number;
	/**
	 * A client with more unread bytes than this is skipped for a tick (it gets the latest values later), and
	 * the snapshot of a subscription it asks for meanwhile waits until it has read enough. The same limit
	 * holds for the UNS feed on the same socket (see unread.ts).
	 */
	maxBufferedBytes: number;
	/**
	 * Small answers (pong, error) still go to a client above `maxBufferedBytes`, up to this many unread bytes'
	 * worth; one that keeps asking past it is closed (1008 `unread-limit`), as is one that reads nothing
	 * between two heartbeats while above `maxBufferedBytes` (see unread.ts).
	 * Unset: UNREAD_HARD_LIMIT_FACTOR × maxBufferedBytes.
	 */
	hardBufferedBytes: number;
	/** Most subscription ids one client may hold. */
	maxSubscriptions: number;
	/** Ping interval, ms; a client that misses two pongs is dropped. */
	heartbeatMs: number;
	/**
	 * Sustained client messages per second, and the burst allowed above it; beyond: close 1008. Pongs that
	 * answer no ping of ours count too; a `sub` within the re-subscription budget and an `unsub` of a held id
	 * do not (they have their own limit).
	 */
	messagesPerSecond: number;
	messageBurst: number;
	/**
	 * Sustained `sub` messages per second per socket, and the burst above it. Each can cost a snapshot or a
	 * new subscription group; beyond: error HMI_ERR_SUBSCRIBE_RATE_LIMITED and nothing changes. A refusal is
	 * not a bad message (a tab that resyncs twice in a row is not abusive; the client asks again later): the
	 * message rate limit bounds a client that keeps on. `unsub` is never refused and costs nothing here: it
	 * frees what a `sub` took, and refusing it would leave the old subscription behind.
	 * Unset, the burst is SUBSCRIBE_BURST_PER_SUBSCRIPTION × maxSubscriptions: a fresh connect sends every
	 * subscription, a resync all of them again.
	 */
	subscribesPerSecond: number;
	subscribeBurst: number;
	/** Most WebSockets one user may hold open at once (more upgrades are refused: 429 HMI_ERR_TOO_MANY_CONNECTIONS). */
	maxSocketsPerUser: number;
	/** Most SSE streams (/api/stream) one user may hold open at once (more are refused the same way). */
	maxStreamsPerUser: number;
	/** Bad messages tolerated within `errorWindowMs` before the socket is closed with 1008. */
	maxErrors: number;
	errorWindowMs: number;
}

/** The `sub` burst per allowed subscription, unless set on its own: a connect plus one resync. */
export const SUBSCRIBE_BURST_PER_SUBSCRIPTION = 2;

/** The hard unread limit, as a multiple of the soft one, unless set on its own. */
export const UNREAD_HARD_LIMIT_FACTOR = 4;

/** Bytes of random payload in each heartbeat ping. */
const PING_PAYLOAD_BYTES = 8;
/**
 * How many of our latest pings a pong may answer. A tablet draining a large backlog reads ping N only after
 * ping N+1 has been queued behind more data; its pong for N still shows it reads.
 */
export const PONG_ACCEPTED_PINGS = 2;
const EMPTY = Buffer.alloc(0);

export const DEFAULT_HUB_LIMITS: HubLimits = {
	batchMs: 16,
	maxFramesPerSecond: 20_000,
	maxBufferedBytes: 1024 * 1024,
	hardBufferedBytes: UNREAD_HARD_LIMIT_FACTOR * 1024 * 1024,
	maxSubscriptions: 64,
	heartbeatMs: 15_000,
	messagesPerSecond: 50,
	messageBurst: 200,
	subscribesPerSecond: 5,
	subscribeBurst: SUBSCRIBE_BURST_PER_SUBSCRIPTION * 64,
	maxSocketsPerUser: 32,
	maxStreamsPerUser: 8,
	maxErrors: 20,
	errorWindowMs: 60_000
};

/** The message types the hub handles itself; no channel may take them. */
const HUB_MESSAGE_TYPES: ReadonlySet<string> = new Set<ClientMessage['type']>(['sub', 'unsub', 'ping']);

/** Close reason (with 1008) for a client that does not read (see unread.ts). */
export const UNREAD_LIMIT_REASON = 'unread-limit';

/** Which per-user connection quota a connection counts against. */
export type ConnectionKind = 'socket' | 'stream';

export interface HubStats {
	clients: number;
	framesSent: number;
	bytesSent: number;
	skippedFlushes: number;
	badMessages: number;
	closedForAbuse: number;
	/** Bytes queued for the client with the most unread data right now (a slow reader's backlog). */
	largestBufferedBytes: number;
	/** Snapshots that waited because their client had too much unread data. */
	deferredSnapshots: number;
	/** Clients closed because they did not read (see unread.ts). */
	closedForUnread: number;
	/** Pongs that did not answer our last ping (not taken as a heartbeat). */
	unsolicitedPongs: number;
	/** Sub messages refused by the re-subscription limit (an unsub is never refused). */
	subscribesRefused: number;
	/** Subscriptions held by all clients right now, waiting ones included. */
	subscriptions: number;
	/** WebSockets and SSE streams refused because their user had the most open already. */
	refusedConnections: number;
}

/**
 * Fans tag changes out to clients. Each client subscribes with patterns and receives a snapshot, then
 * batched deltas: at most one batch per `batchMs` (stretched under a frame budget with many clients), sent
 * once the current burst of input has been handled (setImmediate), with every tag that changed since the
 * last batch once, at its latest value. Clients with the same subscriptions share a SubscriptionGroup, so a
 * batch is built once per group; a client too far behind on reading skips batches and then gets one
 * catch-up frame with the current value of everything it subscribed to.
 */
export class Hub {
	readonly #sessions = new Set<ClientSession>();
	/** Clients grouped by identical subscriptions, by group key. */
	readonly #groups = new Map<string, SubscriptionGroup>();
	/** Tag id → groups subscribed to it. Kept up to date on subscribe, unsubscribe and new tags. */
	readonly #interest = new Map<number, Set<SubscriptionGroup>>();
	/** Clients that skipped a batch (too much unread data) and are owed a catch-up frame. */
	readonly #behind = new Set<ClientSession>();
	readonly #frames = new DeltaFrames();
	#flushQueued = false;
	#lastFlushAt = Number.NEGATIVE_INFINITY;
	readonly #limits: HubLimits;
	readonly #unsubscribeStore: () => void;
	readonly #heartbeat: unknown;
	#nextId = 1;
	/** Channels sharing the sockets (the UNS feed, channel.ts), and the one that handles each of their message types. */
	readonly #channels = new Set<HubChannel>();
	readonly #channelOf = new Map<ClientMessage['type'], HubChannel>();
	readonly #stats: HubStats = {
		clients: 0,
		framesSent: 0,
		bytesSent: 0,
		skippedFlushes: 0,
		badMessages: 0,
		closedForAbuse: 0,
		largestBufferedBytes: 0,
		deferredSnapshots: 0,
		closedForUnread: 0,
		unsolicitedPongs: 0,
		subscribesRefused: 0,
		subscriptions: 0,
		refusedConnections: 0
	};
	readonly #quotas: Record<ConnectionKind, ConnectionQuota>;

	constructor(
		private readonly store: TagStore,
		private readonly clock: Clock,
		private readonly log: Logger,
		limits: Partial<HubLimits> = {},
		/** Re-checks a client's session on every heartbeat (expiry, logout elsewhere, disabled user). */
		private readonly isSessionLive: (user: SessionUser) => boolean = () => true
	) {
		this.#limits = {
			...DEFAULT_HUB_LIMITS,
			...limits,
			hardBufferedBytes: limits.hardBufferedBytes ?? UNREAD_HARD_LIMIT_FACTOR * (limits.maxBufferedBytes ?? DEFAULT_HUB_LIMITS.maxBufferedBytes),
			subscribeBurst: limits.subscribeBurst ?? SUBSCRIBE_BURST_PER_SUBSCRIPTION * (limits.maxSubscriptions ?? DEFAULT_HUB_LIMITS.maxSubscriptions)
		};
		this.#quotas = { socket: new ConnectionQuota(this.#limits.maxSocketsPerUser), stream: new ConnectionQuota(this.#limits.maxStreamsPerUser) };
		this.#unsubscribeStore = store.subscribe((tag, isNew) => this.#onTag(tag, isNew));
		this.#heartbeat = clock.setInterval(() => this.#tick(), this.#limits.heartbeatMs);
	}

	get limits(): Readonly<HubLimits> {
		return this.#limits;
	}

	stats(): HubStats {
		let largestBufferedBytes = 0;
		let subscriptions = 0;
		for (const session of this.#sessions) {
			largestBufferedBytes = Math.max(largestBufferedBytes, session.conn.bufferedAmount);
			subscriptions += this.#subscriptionCount(session);
		}
		return {
			...this.#stats,
			clients: this.#sessions.size,
			largestBufferedBytes,
			subscriptions,
			refusedConnections: this.#quotas.socket.refused + this.#quotas.stream.refused
		};
	}

	/**
	 * True while the client has more unread data than `maxBufferedBytes`: send it nothing large now. For
	 * channels on the hub's sockets (the UNS feed), so that one set of rules holds for everything sent.
	 */
	isBehind(session: ClientSession): boolean {
		return isBehind(session.conn.bufferedAmount, this.#limits);
	}

	/** Sends a large frame (tree data) to a client the caller found not behind. */
	sendFrame(session: ClientSession, text: string): void {
		this.#sendFrame(session, text);
	}

	/** Sends a small answer (an error); a client that keeps asking without reading is closed instead. */
	sendAnswer(session: ClientSession, text: string): void {
		this.#sendAnswer(session, text);
	}

	/**
	 * Registers a channel for its message types: they go to it, and it hears of clients that open and close.
	 * Returns a function that unregisters it. A type the hub or another channel handles already is refused.
	 */
	registerChannel<M extends ClientMessage>(channel: HubChannel<M>): () => void {
		for (const type of channel.messageTypes) {
			if (HUB_MESSAGE_TYPES.has(type) || this.#channelOf.has(type)) throw new Error(`message type ${type} of channel ${channel.name} has a handler already`);
		}
		// Each message goes only to the channel registered for its type, so it gets its own kind of message.
		const registered = channel as unknown as HubChannel;
		this.#channels.add(registered);
		for (const type of channel.messageTypes) this.#channelOf.set(type, registered);
		return () => {
			if (!this.#channels.delete(registered)) return;
			for (const type of channel.messageTypes) this.#channelOf.delete(type);
		};
	}

	/**
	 * Takes one of the user's connection slots before a WebSocket or SSE stream is opened: a function that
	 * gives it back when the connection ends (call it exactly when the transport closes; extra calls do
	 * nothing), or null when the user has `maxSocketsPerUser` / `maxStreamsPerUser` open already.
	 */
	reserveConnection(user: SessionUser, kind: ConnectionKind): (() => void) | null {
		const release = this.#quotas[kind].take(user.id);
		if (!release) this.log.warn({ user: user.username, kind, limit: this.#quotas[kind].maxPerUser }, 'connection refused: user has the most open already');
		return release;
	}

	/** Registers a new client connection for an authenticated user. */
	connect(conn: Connection, user: SessionUser): ClientSession {
		const session = new ClientSession(this.#nextId++, conn, user, this.clock.now(), this.#limits.messageBurst, this.#limits.subscribeBurst);
		this.#sessions.add(session);
		for (const channel of this.#channels) channel.clientOpened?.(session);
		return session;
	}

	/** Handles one incoming frame. Never throws. */
	receive(session: ClientSession, data: string, isBinary = false): void {
		if (session.closed) return;
		if (!this.#takeToken(session)) {
			this.#abuse(session, 'message rate limit exceeded');
			return;
		}
		if (isBinary) {
			this.#reject(session, errorFrame('HMI_ERR_BAD_MESSAGE', 'binary frames are not accepted'));
			return;
		}
		const parsed = parseClientMessage(data);
		if (!parsed.ok) {
			this.#reject(session, errorFrame(parsed.code, parsed.message, parsed.ref));
			return;
		}
		const msg = parsed.message;
		const channel = this.#channelOf.get(msg.type);
		if (channel) return channel.receive(session, msg);
		switch (msg.type) {
			case 'sub':
				if (!this.#takeSubscribeToken(session)) return this.#refuseSubscribe(session, msg.id);
				// Within its own budget a sub does not also spend the message rate: a resync is two messages per
				// subscription, more than the message burst can carry with many subscriptions.
				this.#giveTokenBack(session);
				this.#subscribe(session, msg.id, msg.patterns);
				break;
			case 'unsub':
				if (!session.subs.has(msg.id) && !session.waitingSubs.has(msg.id)) {
					this.#reject(session, errorFrame('HMI_ERR_UNKNOWN_SUBSCRIPTION', `no subscription with id ${msg.id}`, msg.id));
					return;
				}
				// Frees what a sub took (one unsub per sub at most): free as well.
				this.#giveTokenBack(session);
				session.waitingSubs.delete(msg.id);
				if (session.subs.has(msg.id)) this.#unsubscribe(session, msg.id);
				break;
			case 'ping':
				this.#sendAnswer(session, JSON.stringify({ type: 'pong', id: msg.id, serverTs: this.clock.now() } satisfies ServerMessage));
				break;
		}
	}

	/** The client's connection has closed: forget it. */
	disconnect(session: ClientSession): void {
		if (!this.#sessions.delete(session)) return;
		session.closed = true;
		for (const channel of this.#channels) channel.clientClosed(session);
		this.#behind.delete(session);
		this.#leaveGroup(session);
	}

	/**
	 * A pong arrived. Only one carrying the payload of one of our last PONG_ACCEPTED_PINGS unanswered pings
	 * answers the heartbeat: any client can send pongs without reading a byte, so an unsolicited one proves
	 * nothing; it counts as a message instead. An answered payload is spent, and so are older ones.
	 */
	pong(session: ClientSession, payload: Uint8Array = EMPTY): void {
		if (session.closed) return;
		const answered = session.pingPayloads.findIndex((p) => p.equals(payload));
		if (answered >= 0) {
			session.pingPayloads.splice(0, answered + 1);
			session.missedPongs = 0;
			return;
		}
		this.#stats.unsolicitedPongs++;
		if (!this.#takeToken(session)) this.#abuse(session, 'message rate limit exceeded');
	}

	/** Closes every connection of a session (logout, expiry): 1008 with reason `session-ended`. */
	closeSession(sid: string): number {
		let closed = 0;
		for (const session of this.#sessions) {
			if (session.user.sid === sid) {
				this.#close(session, CloseCode.Policy, SESSION_ENDED_REASON);
				closed++;
			}
		}
		return closed;
	}

	/** Closes every client (server stopping) and stops the timers. */
	stop(): void {
		this.clock.clearInterval(this.#heartbeat);
		this.#unsubscribeStore();
		for (const session of [...this.#sessions]) this.#close(session, CloseCode.GoingAway, 'server stopping');
	}

	#subscribe(session: ClientSession, subId: number, patterns: string[]): void {
		const known = session.subs.has(subId) || session.waitingSubs.has(subId);
		if (!known && this.#subscriptionCount(session) >= this.#limits.maxSubscriptions) {
			this.#reject(
				session,
				errorFrame('HMI_ERR_TOO_MANY_SUBSCRIPTIONS', `at most ${this.#limits.maxSubscriptions} subscriptions per connection`, subId)
			);
			return;
		}
		const compiled = patterns.map(compilePattern);
		if (session.waitingSubs.size > 0 || this.isBehind(session)) {
			// Not reading: the snapshot waits (asking again for this id replaces the waiting one), and the
			// client is owed a catch-up like one that skipped a batch. Queued behind earlier ones, in order.
			session.waitingSubs.delete(subId);
			session.waitingSubs.set(subId, compiled);
			this.#stats.deferredSnapshots++;
			this.#behind.add(session);
			this.#scheduleFlush();
			return;
		}
		this.#subscribeNow(session, subId, compiled);
	}

	/** Subscription ids in use, waiting ones included. */
	#subscriptionCount(session: ClientSession): number {
		let count = session.subs.size;
		for (const id of session.waitingSubs.keys()) if (!session.subs.has(id)) count++;
		return count;
	}

	/** Sends the snapshot and joins the group: the subscription is live from here on. */
	#subscribeNow(session: ClientSession, subId: number, compiled: CompiledPattern[]): void {
		session.subs.set(subId, compiled);
		const defs: WireDef[] = [];
		const updates: WireUpdate[] = [];
		for (const tag of this.store.all()) {
			if (!compiled.some((p) => matchesPattern(p, tag.path))) continue;
			if (!session.announced.has(tag.id)) {
				session.announced.add(tag.id);
				defs.push([tag.id, tag.path]);
			}
			updates.push([tag.id, tag.value, tag.quality, tag.sourceTs]);
		}
		this.#sendFrame(session, JSON.stringify({ type: 'snapshot', id: subId, seq: ++session.seq, defs, u: updates } satisfies ServerMessage));
		this.#regroup(session);
	}

	#unsubscribe(session: ClientSession, subId: number): void {
		session.subs.delete(subId);
		this.#regroup(session);
	}

	/** Moves a client whose subscriptions changed into the group of its new pattern set. */
	#regroup(session: ClientSession): void {
		const key = groupKeyOf(session.subs);
		const old = session.group;
		if (old?.key === key) return;
		this.#leaveGroup(session);
		if (!key) return;
		let group = this.#groups.get(key);
		if (!group) {
			group = new SubscriptionGroup(key, [...session.subs.values()].flat());
			this.#groups.set(key, group);
			for (const tag of this.store.all()) if (group.wants(tag.path)) this.#addInterest(group, tag.id);
			// What its first member has been told (its snapshots and earlier batches): a path still pending in the
			// old group was not, and goes out with its def in the next batch.
			for (const id of group.interest) if (session.announced.has(id)) group.announced.add(id);
		}
		// Changes since the last batch that the old group would have sent this client.
		if (old) for (const id of old.pending) if (group.interest.has(id)) group.pending.add(id);
		group.members.add(session);
		session.group = group;
		if (group.pending.size > 0) this.#scheduleFlush();
	}

	#leaveGroup(session: ClientSession): void {
		const group = session.group;
		if (!group) return;
		session.group = null;
		group.members.delete(session);
		if (group.members.size > 0) return;
		this.#groups.delete(group.key);
		for (const id of group.interest) this.#interest.get(id)?.delete(group);
	}

	#addInterest(group: SubscriptionGroup, tagId: number): void {
		group.interest.add(tagId);
		let set = this.#interest.get(tagId);
		if (!set) this.#interest.set(tagId, (set = new Set()));
		set.add(group);
	}

	#onTag(tag: TagRecord, isNew: boolean): void {
		if (isNew) for (const group of this.#groups.values()) if (group.wants(tag.path)) this.#addInterest(group, tag.id);
		const interested = this.#interest.get(tag.id);
		if (!interested || interested.size === 0) return;
		for (const group of interested) group.pending.add(tag.id);
		this.#scheduleFlush();
	}

	/** Batch interval now: one display frame, stretched so that all clients together stay within the frame budget. */
	#batchInterval(): number {
		return Math.max(this.#limits.batchMs, Math.ceil((this.#sessions.size * 1000) / this.#limits.maxFramesPerSecond));
	}

	#scheduleFlush(wait = this.#lastFlushAt + this.#batchInterval() - this.clock.now()): void {
		if (this.#flushQueued) return;
		this.#flushQueued = true;
		if (wait <= 0) this.clock.setImmediate(() => this.#flush());
		else this.clock.setTimeout(() => this.#flush(), wait);
	}

	/** Sends every group's batch, and catch-up frames to clients that can read again. */
	#flush(): void {
		this.#flushQueued = false;
		this.#lastFlushAt = this.clock.now();
		for (const group of this.#groups.values()) {
			if (group.pending.size > 0) this.#flushGroup(group);
		}
		for (const session of this.#behind) {
			if (session.closed) this.#behind.delete(session);
			else if (!this.isBehind(session) && this.#sendWaitingSnapshots(session) && !this.isBehind(session)) this.#catchUp(session);
		}
		this.#frames.clear();
		if (this.#behind.size > 0) this.#scheduleFlush(this.#limits.batchMs);
	}

	#flushGroup(group: SubscriptionGroup): void {
		const defs: WireDef[] = [];
		const tags: TagRecord[] = [];
		for (const id of group.pending) {
			const tag = this.store.getById(id)!;
			tags.push(tag);
			if (!group.announced.has(id)) {
				group.announced.add(id);
				defs.push([id, tag.path]);
			}
		}
		group.pending.clear();
		const body = this.#frames.body(defs, tags);
		for (const session of group.members) {
			if (session.closed || this.#behind.has(session)) continue;
			if (this.isBehind(session)) {
				// A slow reader: nothing is queued for it here (its memory stays bounded); it catches up later.
				this.#behind.add(session);
				session.skippedFlushes++;
				this.#stats.skippedFlushes++;
				continue;
			}
			for (const [id] of defs) session.announced.add(id);
			this.#sendFrame(session, this.#frames.frame(++session.seq, body));
		}
	}

	/** Sends waiting snapshots, oldest first, while the client is under its limit. True when none is left. */
	#sendWaitingSnapshots(session: ClientSession): boolean {
		for (const [subId, compiled] of session.waitingSubs) {
			if (session.closed || this.isBehind(session)) return false;
			session.waitingSubs.delete(subId);
			this.#subscribeNow(session, subId, compiled);
		}
		return !session.closed;
	}

	/** One frame with the current value of every tag the client subscribed to (paths it was not told included). */
	#catchUp(session: ClientSession): void {
		this.#behind.delete(session);
		const group = session.group;
		if (!group || session.closed) return;
		const defs: WireDef[] = [];
		const tags: TagRecord[] = [];
		for (const id of group.interest) {
			const tag = this.store.getById(id)!;
			tags.push(tag);
			if (!session.announced.has(id)) {
				session.announced.add(id);
				defs.push([id, tag.path]);
			}
		}
		this.#sendFrame(session, this.#frames.frame(++session.seq, this.#frames.body(defs, tags)));
	}

	#tick(): void {
		for (const session of [...this.#sessions]) {
			if (session.user.expiresAt <= this.clock.now() || !this.isSessionLive(session.user)) {
				this.#close(session, CloseCode.Policy, SESSION_ENDED_REASON);
				continue;
			}
			if (!isReading(session.unread, session.conn.bufferedAmount, this.#limits)) {
				this.#closeUnread(session);
				continue;
			}
			session.conn.keepAlive?.();
			if (!session.conn.ping) continue;
			if (session.pingPayloads.length > 0 && ++session.missedPongs >= 2) {
				this.log.info({ client: session.id, user: session.user.username }, 'client missed two pings: dropped');
				session.conn.terminate();
				this.disconnect(session);
				continue;
			}
			// Unguessable, so that only a client that read our ping can answer it.
			const payload = randomBytes(PING_PAYLOAD_BYTES);
			session.pingPayloads.push(payload);
			if (session.pingPayloads.length > PONG_ACCEPTED_PINGS) session.pingPayloads.shift();
			session.conn.ping(payload);
		}
	}

	#takeToken(session: ClientSession): boolean {
		const now = this.clock.now();
		const { messagesPerSecond, messageBurst } = this.#limits;
		session.tokens = Math.min(messageBurst, session.tokens + ((now - session.tokensAt) / 1000) * messagesPerSecond);
		session.tokensAt = now;
		if (session.tokens < 1) return false;
		session.tokens -= 1;
		return true;
	}

	#giveTokenBack(session: ClientSession): void {
		session.tokens = Math.min(this.#limits.messageBurst, session.tokens + 1);
	}

	#takeSubscribeToken(session: ClientSession): boolean {
		const now = this.clock.now();
		const { subscribesPerSecond, subscribeBurst } = this.#limits;
		session.subTokens = Math.min(subscribeBurst, session.subTokens + ((now - session.subTokensAt) / 1000) * subscribesPerSecond);
		session.subTokensAt = now;
		if (session.subTokens < 1) return false;
		session.subTokens -= 1;
		return true;
	}

	/** Not a bad message (see HubLimits.subscribesPerSecond): answered, counted, nothing changes. */
	#refuseSubscribe(session: ClientSession, subId: number): void {
		this.#stats.subscribesRefused++;
		const { subscribesPerSecond, subscribeBurst } = this.#limits;
		this.#sendAnswer(
			session,
			errorFrame('HMI_ERR_SUBSCRIBE_RATE_LIMITED', `at most ${subscribesPerSecond} sub per second (bursts of ${subscribeBurst}); nothing changed, ask again later`, subId)
		);
	}

	/** Answers a bad message with an error frame; too many of them close the socket (1008). */
	#reject(session: ClientSession, frame: string): void {
		this.#stats.badMessages++;
		const now = this.clock.now();
		session.errorTimes = session.errorTimes.filter((t) => now - t < this.#limits.errorWindowMs);
		session.errorTimes.push(now);
		this.#sendAnswer(session, frame);
		if (session.errorTimes.length > this.#limits.maxErrors) this.#abuse(session, 'too many bad messages');
	}

	#abuse(session: ClientSession, reason: string): void {
		this.#stats.closedForAbuse++;
		this.log.warn({ client: session.id, user: session.user.username, reason }, 'closing client');
		this.#close(session, CloseCode.Policy, reason);
	}

	#close(session: ClientSession, code: number, reason: string): void {
		if (session.closed) return;
		try {
			session.conn.close(code, reason);
		} finally {
			this.disconnect(session);
		}
	}

	#closeUnread(session: ClientSession): void {
		this.#stats.closedForUnread++;
		this.log.warn({ client: session.id, user: session.user.username, unread: session.conn.bufferedAmount }, 'closing client: it does not read');
		this.#close(session, CloseCode.Policy, UNREAD_LIMIT_REASON);
	}

	/** Pongs and errors: within what a client that is behind may still be sent (see unread.ts). */
	#sendAnswer(session: ClientSession, text: string): void {
		if (session.closed) return;
		if (!admitAnswer(session.unread, session.conn.bufferedAmount, Buffer.byteLength(text), this.#limits)) return this.#closeUnread(session);
		this.#sendFrame(session, text);
	}

	/** Snapshots, batches, tree data: only to clients that are not behind (the callers check). */
	#sendFrame(session: ClientSession, frame: string | Buffer): void {
		if (session.closed) return;
		this.#stats.bytesSent += session.send(frame);
		this.#stats.framesSent++;
	}
}
