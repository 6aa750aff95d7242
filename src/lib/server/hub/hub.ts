import { CloseCode, SESSION_ENDED_REASON, type ServerMessage, type UnsClientMessage, type WireDef, type WireUpdate } from '$lib/shared/protocol';
import type { SessionUser } from '../auth/auth-service';
import type { Clock } from '../clock';
import type { TagRecord, TagStore } from '../domain/tags/tag-store';
import { compilePattern, matchesPattern } from '$lib/shared/uns-path';
import type { Logger } from '../log';
import { ClientSession } from './client-session';
import type { Connection } from './connection';
import { errorFrame } from './errors';
import { parseClientMessage } from './messages';
import { DeltaFrames } from './delta-frame';
import { groupKeyOf, SubscriptionGroup } from './subscription-group';

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
	/** A client with more unread bytes than this is skipped for a tick; it gets the latest values later. */
	maxBufferedBytes: number;
	/** Most subscription ids one client may hold. */
	maxSubscriptions: number;
	/** Ping interval, ms; a client that misses two pongs is dropped. */
	heartbeatMs: number;
	/** Sustained client messages per second, and the burst allowed above it; beyond: close 1008. */
	messagesPerSecond: number;
	messageBurst: number;
	/** Bad messages tolerated within `errorWindowMs` before the socket is closed with 1008. */
	maxErrors: number;
	errorWindowMs: number;
}

export const DEFAULT_HUB_LIMITS: HubLimits = {
	batchMs: 16,
	maxFramesPerSecond: 20_000,
	maxBufferedBytes: 1024 * 1024,
	maxSubscriptions: 64,
	heartbeatMs: 15_000,
	messagesPerSecond: 50,
	messageBurst: 200,
	maxErrors: 20,
	errorWindowMs: 60_000
};

export interface HubStats {
	clients: number;
	framesSent: number;
	bytesSent: number;
	skippedFlushes: number;
	badMessages: number;
	closedForAbuse: number;
	/** Bytes queued for the client with the most unread data right now (a slow reader's backlog). */
	largestBufferedBytes: number;
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
	/** The UNS browser's feed: `tree.*` messages go there (src/lib/server/uns/feed.ts). Set by the runtime. */
	uns: { receive(session: ClientSession, msg: UnsClientMessage): void; disconnect(session: ClientSession): void } | null = null;
	readonly #stats: HubStats = { clients: 0, framesSent: 0, bytesSent: 0, skippedFlushes: 0, badMessages: 0, closedForAbuse: 0, largestBufferedBytes: 0 };

	constructor(
		private readonly store: TagStore,
		private readonly clock: Clock,
		private readonly log: Logger,
		limits: Partial<HubLimits> = {},
		/** Re-checks a client's session on every heartbeat (expiry, logout elsewhere, disabled user). */
		private readonly isSessionLive: (user: SessionUser) => boolean = () => true
	) {
		this.#limits = { ...DEFAULT_HUB_LIMITS, ...limits };
		this.#unsubscribeStore = store.subscribe((tag, isNew) => this.#onTag(tag, isNew));
		this.#heartbeat = clock.setInterval(() => this.#tick(), this.#limits.heartbeatMs);
	}

	get limits(): Readonly<HubLimits> {
		return this.#limits;
	}

	stats(): HubStats {
		let largestBufferedBytes = 0;
		for (const session of this.#sessions) largestBufferedBytes = Math.max(largestBufferedBytes, session.conn.bufferedAmount);
		return { ...this.#stats, clients: this.#sessions.size, largestBufferedBytes };
	}

	/** Registers a new client connection for an authenticated user. */
	connect(conn: Connection, user: SessionUser): ClientSession {
		const session = new ClientSession(this.#nextId++, conn, user, this.clock.now(), this.#limits.messageBurst);
		this.#sessions.add(session);
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
		if (msg.type.startsWith('tree.')) return this.uns?.receive(session, msg as UnsClientMessage);
		switch (msg.type) {
			case 'sub':
				this.#subscribe(session, msg.id, msg.patterns);
				break;
			case 'unsub':
				if (!session.subs.has(msg.id)) {
					this.#reject(session, errorFrame('HMI_ERR_UNKNOWN_SUBSCRIPTION', `no subscription with id ${msg.id}`, msg.id));
					return;
				}
				this.#unsubscribe(session, msg.id);
				break;
			case 'ping':
				this.#send(session, { type: 'pong', id: msg.id, serverTs: this.clock.now() });
				break;
		}
	}

	/** The client's connection has closed: forget it. */
	disconnect(session: ClientSession): void {
		if (!this.#sessions.delete(session)) return;
		session.closed = true;
		this.uns?.disconnect(session);
		this.#behind.delete(session);
		this.#leaveGroup(session);
	}

	/** The client answered a ping. */
	pong(session: ClientSession): void {
		session.awaitingPong = false;
		session.missedPongs = 0;
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
		if (!session.subs.has(subId) && session.subs.size >= this.#limits.maxSubscriptions) {
			this.#reject(
				session,
				errorFrame('HMI_ERR_TOO_MANY_SUBSCRIPTIONS', `at most ${this.#limits.maxSubscriptions} subscriptions per connection`, subId)
			);
			return;
		}
		const compiled = patterns.map(compilePattern);
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
		this.#send(session, { type: 'snapshot', id: subId, seq: ++session.seq, defs, u: updates });
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
			if (session.conn.bufferedAmount <= this.#limits.maxBufferedBytes) this.#catchUp(session);
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
			if (session.conn.bufferedAmount > this.#limits.maxBufferedBytes) {
				// A slow reader: nothing is queued for it here (its memory stays bounded); it catches up later.
				this.#behind.add(session);
				session.skippedFlushes++;
				this.#stats.skippedFlushes++;
				continue;
			}
			for (const [id] of defs) session.announced.add(id);
			this.#sendBytes(session, this.#frames.frame(++session.seq, body));
		}
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
		this.#sendBytes(session, this.#frames.frame(++session.seq, this.#frames.body(defs, tags)));
	}

	#tick(): void {
		for (const session of [...this.#sessions]) {
			if (session.user.expiresAt <= this.clock.now() || !this.isSessionLive(session.user)) {
				this.#close(session, CloseCode.Policy, SESSION_ENDED_REASON);
				continue;
			}
			session.conn.keepAlive?.();
			if (!session.conn.ping) continue;
			if (session.awaitingPong && ++session.missedPongs >= 2) {
				this.log.info({ client: session.id, user: session.user.username }, 'client missed two pings: dropped');
				session.conn.terminate();
				this.disconnect(session);
				continue;
			}
			session.awaitingPong = true;
			session.conn.ping();
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

	/** Answers a bad message with an error frame; too many of them close the socket (1008). */
	#reject(session: ClientSession, frame: string): void {
		this.#stats.badMessages++;
		const now = this.clock.now();
		session.errorTimes = session.errorTimes.filter((t) => now - t < this.#limits.errorWindowMs);
		session.errorTimes.push(now);
		this.#sendText(session, frame);
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

	#send(session: ClientSession, message: ServerMessage): void {
		this.#sendText(session, JSON.stringify(message));
	}

	#sendText(session: ClientSession, text: string): void {
		if (session.closed) return;
		session.conn.send(text);
		this.#stats.framesSent++;
		this.#stats.bytesSent += text.length;
	}

	#sendBytes(session: ClientSession, frame: Buffer): void {
		if (session.closed) return;
		session.conn.send(frame);
		this.#stats.framesSent++;
		this.#stats.bytesSent += frame.length;
	}
}
