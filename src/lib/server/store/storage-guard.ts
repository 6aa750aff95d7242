import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Db } from './db';
import { describeError, isDamage, isStorageFault, StorageUnavailableError } from './storage-errors';

/** Rows kept in memory while the database refuses writes; past this the oldest is dropped (logged, counted). */
export const STORAGE_QUEUE_LIMIT = 10_000;
/** How often waiting rows are tried again while the database refuses writes, ms. */
export const STORAGE_RETRY_MS = 5_000;
/** Waiting rows written per transaction when the database takes writes again. */
export const STORAGE_DRAIN_BATCH = 500;

export interface StorageGuardLimits {
	queueLimit: number;
	retryMs: number;
	drainBatch: number;
}

export const DEFAULT_GUARD_LIMITS: StorageGuardLimits = {
	queueLimit: STORAGE_QUEUE_LIMIT,
	retryMs: STORAGE_RETRY_MS,
	drainBatch: STORAGE_DRAIN_BATCH
};

/** Which repository a write belongs to (for logs, counts and health). */
export type WriteKind = 'journal' | 'alarm_state' | 'audit' | 'oee' | 'history' | 'prune' | 'clock';

/**
 * What became of a write: `written` is on disk; `queued` waits in memory and is written when the database
 * takes writes again; `lost` was refused for a reason a retry cannot fix (logged with its row).
 */
export type WriteOutcome = 'written' | 'queued' | 'lost';

export interface StorageWriteStatus {
	/** `failing` from the first refused write until every waiting row is written. */
	state: 'ok' | 'failing';
	/** When the state last changed, epoch ms. */
	since: number;
	/** Rows waiting in memory, in total and per kind. */
	queued: number;
	queuedByKind: Partial<Record<WriteKind, number>>;
	/** Rows written late (from the queue) since the start. */
	writtenLate: number;
	/** Rows dropped because the queue was full (each logged with its content). */
	overflowed: number;
	/** Rows refused for a reason other than the storage (each logged with its content). */
	rejected: number;
	lastError: { kind: WriteKind | 'read'; code: string; message: string; at: number } | null;
	/** The first error that said the file is damaged (SQLITE_CORRUPT, SQLITE_NOTADB), if any. */
	damage: { code: string; message: string; at: number } | null;
}

interface Pending {
	kind: WriteKind;
	/** The row's content, for the log when it cannot be written. */
	row: unknown;
	run: () => void;
	outcome?: WriteOutcome;
}

/** Kinds whose waiting rows are logged one by one: they are records someone may look for. */
const LOGGED_KINDS: ReadonlySet<WriteKind> = new Set(['journal', 'audit']);

/**
 * The one gate every database write goes through. A write that fails because of the storage (disk full,
 * I/O error, damaged file, locked) never throws to its caller — an MQTT handler, a timer, a request — but
 * waits in a bounded queue and is written, in order, when the database takes writes again (tried every
 * `retryMs`, and at once when another write succeeds). Rows with a `key` (the latest state of something)
 * replace their waiting predecessor. Listeners hear of every change of state, after the current call.
 */
export class StorageGuard {
	readonly #queue = new Map<string, Pending>();
	#seq = 0;
	#draining = false;
	#notifyScheduled = false;
	readonly #listeners = new Set<(status: StorageWriteStatus) => void>();
	readonly #timer: unknown;
	readonly #status: StorageWriteStatus;

	constructor(
		private readonly db: Db,
		private readonly clock: Clock,
		private readonly log: Logger,
		private readonly limits: StorageGuardLimits = DEFAULT_GUARD_LIMITS
	) {
		this.#status = { state: 'ok', since: clock.now(), queued: 0, queuedByKind: {}, writtenLate: 0, overflowed: 0, rejected: 0, lastError: null, damage: null };
		this.#timer = clock.setInterval(() => {
			if (this.#queue.size > 0) this.retry();
		}, limits.retryMs);
	}

	/**
	 * Writes a row now, or keeps it to write later. Never throws.
	 * @param row the row's content, logged if it cannot be written
	 * @param run the SQL write itself (raw statements, no guard inside)
	 * @param opts.key rows with the same key replace each other while waiting (e.g. the state of one alarm)
	 * @param opts.urgent an operator is waiting for the answer: try the waiting rows now rather than at the next retry
	 */
	write(kind: WriteKind, row: unknown, run: () => void, opts: { key?: string; urgent?: boolean } = {}): WriteOutcome {
		// Rows already waiting go first: the journal keeps its order.
		if (this.#queue.size > 0) {
			const item = this.#enqueue(kind, row, run, opts.key);
			if (opts.urgent) this.retry();
			return item.outcome ?? 'queued';
		}
		try {
			run();
		} catch (err) {
			if (!isStorageFault(err)) {
				this.#reject(kind, row, err);
				return 'lost';
			}
			this.#failed(kind, err);
			this.#enqueue(kind, row, run, opts.key);
			return 'queued';
		}
		this.#succeeded();
		return 'written';
	}

	/**
	 * A write whose data the caller keeps and retries itself (the historian's buffer): runs it, records
	 * whether the storage works, never throws.
	 * @returns true when written
	 */
	attempt(kind: WriteKind, run: () => void): boolean {
		try {
			run();
		} catch (err) {
			if (isStorageFault(err)) this.#failed(kind, err);
			else this.#reject(kind, undefined, err);
			return false;
		}
		this.#succeeded();
		return true;
	}

	/** A read for an engine (a timer, a message handler): on any error the fallback, logged. */
	read<T>(what: string, run: () => T, fallback: T): T {
		try {
			return run();
		} catch (err) {
			this.#readFailed(what, err);
			return fallback;
		}
	}

	/** A read for a request handler: a database error becomes `StorageUnavailableError` (503 HMI_ERR_STORAGE). */
	readOrThrow<T>(what: string, run: () => T): T {
		try {
			return run();
		} catch (err) {
			this.#readFailed(what, err);
			throw new StorageUnavailableError(what, err);
		}
	}

	/**
	 * Writes the waiting rows, oldest first, in transactions of `drainBatch`.
	 * @returns true when nothing waits any more
	 */
	retry(): boolean {
		if (this.#draining) return false;
		if (this.#queue.size === 0) return true;
		this.#draining = true;
		let written = 0;
		try {
			while (this.#queue.size > 0) {
				const batch = [...this.#queue.entries()].slice(0, this.limits.drainBatch);
				try {
					this.db.transaction(() => {
						for (const [, item] of batch) {
							try {
								// A savepoint per row: a row refused for its own sake does not take the batch with it.
								this.db.transaction(item.run)();
							} catch (err) {
								if (isStorageFault(err)) throw err;
								item.outcome = 'lost';
								this.#reject(item.kind, item.row, err);
							}
						}
					})();
				} catch (err) {
					for (const [, item] of batch) if (item.outcome !== 'lost') item.outcome = undefined;
					this.#forget(batch.filter(([, item]) => item.outcome === 'lost'));
					this.#failed(batch[0][1].kind, err);
					return false;
				}
				for (const [, item] of batch) if (item.outcome !== 'lost') { item.outcome = 'written'; written++; }
				this.#forget(batch);
			}
		} finally {
			this.#draining = false;
			if (written > 0) {
				this.#status.writtenLate += written;
				this.log.info({ written, waiting: this.#queue.size }, 'storage: waiting rows written');
			}
		}
		this.#succeeded();
		return true;
	}

	get status(): StorageWriteStatus {
		return { ...this.#status, queuedByKind: { ...this.#status.queuedByKind }, lastError: this.#status.lastError && { ...this.#status.lastError } };
	}

	/** Listens to changes of the status (called after the write that caused them); returns the unsubscribe. */
	onChange(listener: (status: StorageWriteStatus) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/** Stops retrying after one last try; rows still waiting are logged, one line each, so none is lost unseen. */
	stop(): void {
		this.clock.clearInterval(this.#timer);
		this.retry();
		for (const item of this.#queue.values())
			this.log.error({ kind: item.kind, row: item.row }, 'storage: row not written before shutdown (the database refused it)');
		this.#listeners.clear();
	}

	#enqueue(kind: WriteKind, row: unknown, run: () => void, key?: string): Pending {
		const id = key === undefined ? `#${this.#seq++}` : `${kind}:${key}`;
		const item: Pending = { kind, row, run };
		const replaced = this.#queue.get(id);
		if (replaced) this.#forget([[id, replaced]]);
		while (this.#queue.size >= this.limits.queueLimit) {
			const [oldestId, oldest] = this.#queue.entries().next().value!;
			this.#forget([[oldestId, oldest]]);
			oldest.outcome = 'lost';
			this.#status.overflowed++;
			this.log.error({ kind: oldest.kind, row: oldest.row, limit: this.limits.queueLimit }, 'storage: waiting rows over the limit, the oldest is dropped');
		}
		this.#queue.set(id, item);
		this.#status.queued = this.#queue.size;
		this.#status.queuedByKind[kind] = (this.#status.queuedByKind[kind] ?? 0) + 1;
		if (LOGGED_KINDS.has(kind)) this.log.warn({ kind, row }, 'storage: row waits to be written (the database refuses writes)');
		this.#changed();
		return item;
	}

	#forget(items: [string, Pending][]): void {
		for (const [id, item] of items) {
			if (!this.#queue.delete(id)) continue;
			const left = (this.#status.queuedByKind[item.kind] ?? 1) - 1;
			if (left > 0) this.#status.queuedByKind[item.kind] = left;
			else delete this.#status.queuedByKind[item.kind];
		}
		this.#status.queued = this.#queue.size;
	}

	#failed(kind: WriteKind | 'read', err: unknown): void {
		const { code, message } = describeError(err);
		const at = this.clock.now();
		this.#status.lastError = { kind, code, message, at };
		if (this.#noteDamage(err, at)) this.#changed();
		if (this.#status.state === 'failing') return;
		this.#status.state = 'failing';
		this.#status.since = at;
		this.log.error({ kind, code, message }, 'storage: the database refuses writes; rows wait in memory and are written when it works again');
		this.#changed();
	}

	#succeeded(): void {
		if (this.#queue.size > 0) {
			// The database took this write: the waiting rows may go too.
			if (!this.#draining) this.retry();
			return;
		}
		if (this.#status.state === 'ok') return;
		this.#status.state = 'ok';
		this.#status.since = this.clock.now();
		this.log.info({ writtenLate: this.#status.writtenLate, overflowed: this.#status.overflowed }, 'storage: the database takes writes again');
		this.#changed();
	}

	#reject(kind: WriteKind, row: unknown, err: unknown): void {
		this.#status.rejected++;
		this.#noteDamage(err, this.clock.now());
		this.log.error({ kind, row, err: describeError(err) }, 'storage: row refused by the database and not written');
		this.#changed();
	}

	#readFailed(what: string, err: unknown): void {
		const { code, message } = describeError(err);
		const at = this.clock.now();
		this.#status.lastError = { kind: 'read', code, message, at };
		this.#noteDamage(err, at);
		this.log.error({ what, code, message }, 'storage: read failed');
		this.#changed();
	}

	/** @returns true when this is the first sign of damage */
	#noteDamage(err: unknown, at: number): boolean {
		if (this.#status.damage || !isDamage(err)) return false;
		this.#status.damage = { ...describeError(err), at };
		this.log.error({ ...this.#status.damage }, 'storage: the database file is damaged');
		return true;
	}

	/** Listeners run after the current call, so a listener that writes never runs inside a write. */
	#changed(): void {
		if (this.#notifyScheduled || this.#listeners.size === 0) return;
		this.#notifyScheduled = true;
		this.clock.setImmediate(() => {
			this.#notifyScheduled = false;
			const status = this.status;
			for (const listener of this.#listeners) listener(status);
		});
	}
}
