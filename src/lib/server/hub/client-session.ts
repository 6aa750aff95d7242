import type { SessionUser } from '../auth/auth-service';
import { matchesAny, type CompiledPattern } from '$lib/shared/uns-path';
import type { Connection } from './connection';

/** Everything the hub keeps per connected client. Memory is bounded by the tags it subscribed to. */
export class ClientSession {
	/** Subscription id → its patterns. */
	readonly subs = new Map<number, CompiledPattern[]>();
	/** Tag ids this client is subscribed to (the reverse of the hub's interest index). */
	readonly interest = new Set<number>();
	/** Tag ids whose path this client has been told. */
	readonly announced = new Set<number>();
	/** Tag ids changed since the last batch; a tag that changes twice is sent once (conflation). */
	readonly pending = new Set<number>();

	seq = 0;
	lastFlushAt = Number.NEGATIVE_INFINITY;
	flushQueued = false;
	flushTimer: unknown = null;
	closed = false;

	awaitingPong = false;
	missedPongs = 0;

	/** Token bucket against message floods. */
	tokens: number;
	tokensAt: number;
	/** Times of recent bad messages. */
	errorTimes: number[] = [];

	/** Batches skipped because the client had too much unread data. */
	skippedFlushes = 0;

	constructor(
		readonly id: number,
		readonly conn: Connection,
		readonly user: SessionUser,
		now: number,
		burst: number
	) {
		this.tokens = burst;
		this.tokensAt = now;
	}

	/** True when any of this client's subscriptions matches `path`. */
	wants(path: string): boolean {
		for (const patterns of this.subs.values()) if (matchesAny(patterns, path)) return true;
		return false;
	}
}
