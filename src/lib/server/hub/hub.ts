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

/** Every limit of the hub, with the value it has unless configured. */
export interface HubLimits {
	/** Shortest time between two batches to one client, ms (one display frame). */
	batchMs: number;
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
}

/**
 * Fans tag changes out to clients. Each client subscribes with patterns and receives a snapshot, then
 * batched deltas: at most one batch per `batchMs`, sent once the current burst of input has been handled
 * (setImmediate), with every tag that changed since the last batch once, at its latest value.
 */
export class Hub {
	readonly #sessions = new Set<ClientSession>();
	/** Tag id → clients subscribed to it. Kept up to date on subscribe, unsubscribe and new tags. */
	readonly #interest = new Map<number, Set<ClientSession>>();
	readonly #limits: HubLimits;
	readonly #unsubscribeStore: () => void;
	readonly #heartbeat: unknown;
	#nextId = 1;
	/** The UNS browser's feed: `tree.*` messages go there (src/lib/server/uns/feed.ts). Set by the runtime. */
	uns: { receive(session: ClientSession, msg: UnsClientMessage): void; disconnect(session: ClientSession): void } | null = null;
	readonly #stats: HubStats = { clients: 0, framesSent: 0, bytesSent: 0, skippedFlushes: 0, badMessages: 0, closedForAbuse: 0 };

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
		return { ...this.#stats, clients: this.#sessions.size };
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
		if (session.flushTimer !== null) this.clock.clearTimeout(session.flushTimer);
		for (const id of session.interest) this.#interest.get(id)?.delete(session);
		session.interest.clear();
		session.pending.clear();
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
		if (session.subs.has(subId)) this.#unsubscribe(session, subId);
		const compiled = patterns.map(compilePattern);
		session.subs.set(subId, compiled);
		const defs: WireDef[] = [];
		const updates: WireUpdate[] = [];
		for (const tag of this.store.all()) {
			if (!compiled.some((p) => matchesPattern(p, tag.path))) continue;
			this.#addInterest(session, tag.id);
			if (!session.announced.has(tag.id)) {
				session.announced.add(tag.id);
				defs.push([tag.id, tag.path]);
			}
			updates.push([tag.id, tag.value, tag.quality, tag.sourceTs]);
		}
		this.#send(session, { type: 'snapshot', id: subId, seq: ++session.seq, defs, u: updates });
	}

	#unsubscribe(session: ClientSession, subId: number): void {
		session.subs.delete(subId);
		for (const id of [...session.interest]) {
			const tag = this.store.getById(id);
			if (tag && !session.wants(tag.path)) {
				session.interest.delete(id);
				session.pending.delete(id);
				this.#interest.get(id)?.delete(session);
			}
		}
	}

	#addInterest(session: ClientSession, tagId: number): void {
		session.interest.add(tagId);
		let set = this.#interest.get(tagId);
		if (!set) this.#interest.set(tagId, (set = new Set()));
		set.add(session);
	}

	#onTag(tag: TagRecord, isNew: boolean): void {
		if (isNew) for (const session of this.#sessions) if (session.wants(tag.path)) this.#addInterest(session, tag.id);
		const interested = this.#interest.get(tag.id);
		if (!interested) return;
		for (const session of interested) {
			session.pending.add(tag.id);
			this.#scheduleFlush(session);
		}
	}

	#scheduleFlush(session: ClientSession, wait = session.lastFlushAt + this.#limits.batchMs - this.clock.now()): void {
		if (session.flushQueued || session.closed) return;
		session.flushQueued = true;
		if (wait <= 0) this.clock.setImmediate(() => this.#flush(session));
		else session.flushTimer = this.clock.setTimeout(() => this.#flush(session), wait);
	}

	#flush(session: ClientSession): void {
		session.flushQueued = false;
		session.flushTimer = null;
		if (session.closed || session.pending.size === 0) return;
		if (session.conn.bufferedAmount > this.#limits.maxBufferedBytes) {
			// A slow reader: keep only the set of changed ids (bounded by its subscription) and try again later.
			session.skippedFlushes++;
			this.#stats.skippedFlushes++;
			this.#scheduleFlush(session, this.#limits.batchMs);
			return;
		}
		const defs: WireDef[] = [];
		const updates: WireUpdate[] = [];
		for (const id of session.pending) {
			const tag = this.store.getById(id)!;
			if (!session.announced.has(id)) {
				session.announced.add(id);
				defs.push([id, tag.path]);
			}
			updates.push([id, tag.value, tag.quality, tag.sourceTs]);
		}
		session.pending.clear();
		session.lastFlushAt = this.clock.now();
		const frame: ServerMessage =
			defs.length > 0 ? { type: 'delta', seq: ++session.seq, defs, u: updates } : { type: 'delta', seq: ++session.seq, u: updates };
		this.#send(session, frame);
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
}
