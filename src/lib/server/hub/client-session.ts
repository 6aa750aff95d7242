import type { SessionUser } from '../auth/auth-service';
import type { CompiledPattern } from '$lib/shared/uns-path';
import type { Connection } from './connection';
import type { SubscriptionGroup } from './subscription-group';
import { UnreadState } from './unread';

/** Everything the hub keeps per connected client. Memory is bounded by the tags it subscribed to. */
export class ClientSession {
	/** Subscription id → its patterns. */
	readonly subs = new Map<number, CompiledPattern[]>();
	/** The group of clients with the same subscriptions; batches are built per group. */
	group: SubscriptionGroup | null = null;
	/** Tag ids whose path this client has been told. */
	readonly announced = new Set<number>();
	/**
	 * Subscriptions asked for while the client had too much unread data: their snapshots wait until it reads
	 * again. Keyed by subscription id, so asking again replaces the waiting one (memory bounded by
	 * maxSubscriptions); they join `subs` only when their snapshot is sent, in the order they were asked for.
	 */
	readonly waitingSubs = new Map<number, CompiledPattern[]>();

	seq = 0;
	closed = false;

	/** Heartbeats in a row at which our newest ping was still unanswered. */
	missedPongs = 0;
	/**
	 * Payloads of our pings not answered yet, oldest first, at most PONG_ACCEPTED_PINGS: only a pong that
	 * carries one of them counts as an answer (a slow reader answers a ping after the next one went out).
	 */
	pingPayloads: Buffer[] = [];

	/** Token bucket against message floods. */
	tokens: number;
	tokensAt: number;
	/** Token bucket for `sub`: each one can make a snapshot or a new subscription group (`unsub` is free). */
	subTokens: number;
	subTokensAt: number;
	/** Times of recent bad messages. */
	errorTimes: number[] = [];

	/** Batches skipped because the client had too much unread data. */
	skippedFlushes = 0;
	/** What the unread rules (unread.ts) remember about this client. */
	readonly unread = new UnreadState();

	constructor(
		readonly id: number,
		readonly conn: Connection,
		readonly user: SessionUser,
		now: number,
		burst: number,
		subscribeBurst: number
	) {
		this.tokens = burst;
		this.tokensAt = now;
		this.subTokens = subscribeBurst;
		this.subTokensAt = now;
	}

	/** Sends one frame and counts its bytes (the unread rules tell reading from not reading by them). */
	send(data: string | Buffer): number {
		const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
		this.unread.sentBytes += bytes;
		this.conn.send(data);
		return bytes;
	}
}
