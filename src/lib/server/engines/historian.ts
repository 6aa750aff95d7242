import { Quality } from '$lib/shared/protocol';
import { ALARM_SEGMENT, compilePattern, matchesAny } from '$lib/shared/uns-path';
import type { Clock } from '../clock';
import { downsampleIndexes } from '../domain/history/downsample';
import type { PlantModel } from '../domain/plant/schema';
import { plantTags } from '../domain/plant/view';
import type { TagRecord, TagStore } from '../domain/tags/tag-store';
import type { PresentTime, PruneResult } from '../domain/time/retention';
import type { Logger } from '../log';
import { CHUNK_SAMPLES, type HistoryOp, type HistoryStore, type SampleArrays } from '../store/history-store';
import { STORAGE_RETRY_MS, type StorageGuard } from '../store/storage-guard';

/**
 * Time between writes to the database, ms. Small, frequent transactions keep the event loop free: one
 * 10,000-row flush blocks it for ~40 ms, which showed as p99 latency of live values at 10,000 changes/s.
 */
const FLUSH_MS = 200;
/** A flush also happens early once this many samples wait (bounded memory under a burst). */
const FLUSH_SAMPLES = 20_000;
/** An unchanged value is recorded again after this long, ms, so a flat line still has recent points. */
const HEARTBEAT_MS = 60_000;
/**
 * Samples kept in memory while the database refuses writes; past this the oldest are dropped (counted in
 * `droppedOverflow`, logged). About 60 bytes each.
 */
export const HISTORIAN_MAX_BUFFERED_SAMPLES = 200_000;

interface TagHistory {
	id: number;
	deadband: number;
	/** The open chunk: samples not yet in a closed chunk (they are rows in the database once flushed). */
	ts: number[];
	values: number[];
	lastTs: number;
	lastValue: number;
}

export interface HistorianOptions {
	/**
	 * A sample stamped more than this after it arrived (its `serverTs`) is refused, ms: one message from a
	 * source with a wrong clock must not stamp a tag's history years ahead, after which every true sample
	 * would look out of order. The connectors' limit (`SOURCE_MAX_FUTURE_S`): one rule, so a value the
	 * screens show is never one the history drops.
	 */
	maxFutureMs: number;
}

export interface HistoryQueryResult extends SampleArrays {
	/** True when these are all the samples in the range; false when downsampled. */
	raw: boolean;
	/** Samples in the range before downsampling. */
	count: number;
}

export interface HistorianStats {
	recorded: number;
	droppedOutOfOrder: number;
	/** Refused: stamped more than `maxFutureMs` after they arrived. */
	droppedFuture: number;
	/** Lost: the database refused writes for so long that the buffer overflowed, or a tag's history could not be created or read. */
	droppedOverflow: number;
	/** Times a tag's history was continued from an earlier time because the clock stepped back. */
	clockSteps: number;
	/** Samples waiting to be written. */
	buffered: number;
	flushes: number;
	failedFlushes: number;
	lastFlushMs: number;
}

/**
 * Records every change of numeric tags (within their deadband) and answers range queries, downsampled so a
 * chart stays fast at any range. Writes are batched: at least once a second, in one transaction, through
 * the storage guard; while the database refuses them the samples wait in a bounded buffer.
 */
export class Historian {
	readonly #patterns;
	readonly #deadbands = new Map<string, number>();
	readonly #tags = new Map<string, TagHistory>();
	readonly #ignored = new Set<string>();
	/** What the next flush writes, in order. */
	#ops: HistoryOp[] = [];
	#bufferedSamples = 0;
	/** Monotonic time of the last failed flush; flushes wait STORAGE_RETRY_MS after one. */
	#failedAt: number | null = null;
	/** Tags whose history could not be opened (database unreadable or full), and when: tried again after STORAGE_RETRY_MS (their samples meanwhile are lost, counted in `droppedOverflow`). */
	readonly #openFailedAt = new Map<string, number>();
	readonly #unsubscribe: () => void;
	readonly #timer: unknown;
	readonly #stats = { recorded: 0, droppedOutOfOrder: 0, droppedFuture: 0, droppedOverflow: 0, clockSteps: 0, flushes: 0, failedFlushes: 0, lastFlushMs: 0 };

	constructor(
		plant: PlantModel,
		private readonly store: TagStore,
		private readonly history: HistoryStore,
		private readonly guard: StorageGuard,
		private readonly clock: Clock,
		private readonly log: Logger,
		private readonly opts: HistorianOptions
	) {
		this.#patterns = (plant.historian.patterns ?? [`${plant.enterprise}/#`]).map(compilePattern);
		for (const ref of plantTags(plant)) if (ref.tag.historianDeadband !== undefined) this.#deadbands.set(ref.path, ref.tag.historianDeadband);
		this.#unsubscribe = store.subscribe((tag) => this.record(tag));
		this.#timer = clock.setInterval(() => this.flush(), FLUSH_MS);
	}

	get stats(): HistorianStats {
		return { ...this.#stats, buffered: this.#bufferedSamples };
	}

	/** Takes one tag update; records it when it is a numeric change worth keeping. */
	record(tag: TagRecord): void {
		if (this.#ignored.has(tag.path)) return;
		let h = this.#tags.get(tag.path);
		const numeric = typeof tag.value === 'number' ? tag.value : typeof tag.value === 'boolean' ? Number(tag.value) : null;
		if (!h) {
			if (numeric === null || !matchesAny(this.#patterns, tag.path) || tag.path.includes(`/${ALARM_SEGMENT}/`)) {
				if (numeric === null && tag.value !== null && tag.quality === Quality.Good) this.#ignored.add(tag.path);
				return;
			}
			const failedAt = this.#openFailedAt.get(tag.path);
			const waiting = failedAt !== undefined && this.clock.monotonic() - failedAt < STORAGE_RETRY_MS;
			const opened = waiting ? undefined : this.#open(tag.path);
			if (!opened) {
				if (!waiting) this.#openFailedAt.set(tag.path, this.clock.monotonic());
				this.#stats.droppedOverflow++;
				return;
			}
			this.#openFailedAt.delete(tag.path);
			h = opened;
		}
		const good = tag.quality === Quality.Good && numeric !== null && Number.isFinite(numeric);
		const ts = good ? tag.sourceTs : tag.serverTs;
		const value = good ? numeric : Number.NaN;
		if (ts > tag.serverTs + this.opts.maxFutureMs) {
			if (this.#stats.droppedFuture++ === 0 || this.#stats.droppedFuture % 1000 === 0)
				this.log.warn({ path: tag.path, ts, arrived: tag.serverTs, dropped: this.#stats.droppedFuture }, 'historian: sample stamped in the future refused');
			return;
		}
		if (ts < h.lastTs) {
			// The history runs ahead of the clock that stamped this sample: the clock stepped back. Continue from
			// here in a new chunk rather than refuse every sample until the clock has caught up.
			if (h.lastTs <= tag.serverTs + this.opts.maxFutureMs) {
				this.#stats.droppedOutOfOrder++;
				return;
			}
			this.#stats.clockSteps++;
			this.log.warn({ path: tag.path, lastTs: h.lastTs, ts }, 'historian: the clock stepped back; the history continues from the earlier time');
			this.#closeOpenChunk(h);
		}
		const lastGap = Number.isNaN(h.lastValue);
		if (!good) {
			if (lastGap && h.ts.length > 0) return; // already a gap
		} else if (!lastGap && Math.abs(value - h.lastValue) <= h.deadband && ts - h.lastTs < HEARTBEAT_MS) {
			return;
		}
		this.#append(h, ts, value);
	}

	/** Writes what waits, in one transaction; after a failure, waits STORAGE_RETRY_MS before trying again. */
	flush(): void {
		if (this.#ops.length === 0) return;
		if (this.#failedAt !== null && this.clock.monotonic() - this.#failedAt < STORAGE_RETRY_MS) return;
		const started = performance.now();
		const ops = this.#ops;
		if (!this.guard.attempt('history', () => this.history.appendBatch(ops))) {
			this.#stats.failedFlushes++;
			this.#failedAt = this.clock.monotonic();
			return;
		}
		if (this.#failedAt !== null) this.log.info({ samples: this.#bufferedSamples, dropped: this.#stats.droppedOverflow }, 'historian: buffered samples written');
		this.#failedAt = null;
		this.#ops = [];
		this.#bufferedSamples = 0;
		this.#stats.flushes++;
		this.#stats.lastFlushMs = performance.now() - started;
	}

	/** Whether a path has history (recorded since the start, or on disk from before). */
	has(path: string): boolean {
		return this.#tags.has(path) || this.guard.read('history tag', () => this.history.findTagId(path), undefined) !== undefined;
	}

	/**
	 * Samples of `path` in [from, to): all of them when there are at most `maxPoints`, else a downsample
	 * that keeps each bucket's first, lowest, highest and last sample. A tag that has not reported since the
	 * start is read from disk. Throws StorageUnavailableError when the database cannot be read.
	 */
	query(path: string, from: number, to: number, maxPoints: number): HistoryQueryResult | undefined {
		const h = this.#tags.get(path) ?? this.#fromDisk(path);
		if (!h) return undefined;
		// Stored chunks, chunks closed since the last flush, then the open chunk: in time order unless the
		// clock stepped back at some point (then sorted).
		const parts: SampleArrays[] = [this.guard.readOrThrow('history', () => this.history.closedSamples(h.id, from, to))];
		for (const op of this.#ops) if (!Array.isArray(op) && op.tagId === h.id) parts.push(op);
		parts.push({ ts: Float64Array.from(h.ts), values: Float64Array.from(h.values) });
		const all = sortedByTime(concat(parts));
		const [lo, hi] = [lowerBound(all.ts, from), lowerBound(all.ts, to)];
		const ts = all.ts.subarray(lo, hi);
		const values = all.values.subarray(lo, hi);
		if (ts.length <= maxPoints) return { ts, values, raw: true, count: ts.length };
		const keep = downsampleIndexes(ts, values, from, to, maxPoints);
		return { ts: Float64Array.from(keep, (i) => ts[i]), values: Float64Array.from(keep, (i) => values[i]), raw: false, count: ts.length };
	}

	/** Deletes history older than `retentionDays` in corrected time (see `HistoryStore.prune`); null when the database refused. */
	prune(retentionDays: number, time: PresentTime): PruneResult | null {
		let result: PruneResult | null = null;
		this.guard.attempt('prune', () => (result = this.history.prune(time, retentionDays * 86_400_000)));
		return result;
	}

	/** The time stamp retention goes by of the oldest stored history (a closed chunk's end), or null. Throws on a database error. */
	oldestStamp(): number | null {
		return this.history.oldestEnd();
	}

	stop(): void {
		this.clock.clearInterval(this.#timer);
		this.#unsubscribe();
		this.#failedAt = null;
		this.flush();
		if (this.#ops.length > 0) this.log.error({ samples: this.#bufferedSamples }, 'historian: samples not written before shutdown (the database refused them)');
	}

	/**
	 * A tag's history for recording, created when it has none. Undefined when the database cannot give it
	 * (the caller tries again after STORAGE_RETRY_MS): an unread open chunk is never taken as empty, since
	 * closing that chunk later removes every open row of the tag — the last run's samples with it.
	 */
	#open(path: string): TagHistory | undefined {
		const id = this.guard.read('history tag', () => this.history.findTagId(path), undefined) ?? this.#createTag(path);
		if (id === undefined) return undefined;
		const left = this.guard.read('history', () => this.history.openSamples(id), undefined);
		return left && this.#continue(path, id, left);
	}

	/**
	 * A tag asked about that has not reported since the start: its history on disk, if it has one. Throws
	 * StorageUnavailableError when it cannot be read (nothing is kept: the next call reads again).
	 */
	#fromDisk(path: string): TagHistory | undefined {
		const id = this.guard.readOrThrow('history tag', () => this.history.findTagId(path));
		if (id === undefined) return undefined;
		return this.#continue(path, id, this.guard.readOrThrow('history', () => this.history.openSamples(id)));
	}

	/**
	 * A tag's history as this run knows it, continuing the open chunk `left` by the last run. Samples of that
	 * chunk stamped after now (the clock has since stepped back, or an old version took a sample from the
	 * future) are closed into a chunk of their own, so new samples continue an ordered chunk.
	 */
	#continue(path: string, id: number, left: SampleArrays): TagHistory {
		const now = this.clock.now();
		let keep = left.ts.length;
		while (keep > 0 && left.ts[keep - 1] > now + this.opts.maxFutureMs) keep--;
		const h: TagHistory = {
			id,
			deadband: this.#deadbands.get(path) ?? 0,
			ts: [...left.ts.subarray(0, keep)],
			values: [...left.values.subarray(0, keep)],
			lastTs: Number.NEGATIVE_INFINITY,
			lastValue: Number.NaN
		};
		if (keep < left.ts.length) {
			// All open rows go with this close; the ones kept open are written again after it.
			this.log.warn({ path, samples: left.ts.length - keep, newest: left.ts[left.ts.length - 1] }, 'historian: samples stamped after now set apart in their own chunk');
			this.#push({ tagId: id, ts: left.ts.slice(keep), values: left.values.slice(keep) });
			for (let i = 0; i < keep; i++) this.#push([id, left.ts[i], left.values[i]]);
		}
		if (keep > 0) {
			h.lastTs = h.ts[keep - 1];
			h.lastValue = h.values[keep - 1];
		}
		this.#tags.set(path, h);
		return h;
	}

	#createTag(path: string): number | undefined {
		let id: number | undefined;
		if (!this.guard.attempt('history', () => (id = this.history.createTag(path)))) return undefined;
		return id;
	}

	#closeOpenChunk(h: TagHistory): void {
		if (h.ts.length > 0) this.#push({ tagId: h.id, ts: Float64Array.from(h.ts), values: Float64Array.from(h.values) });
		h.ts = [];
		h.values = [];
		h.lastTs = Number.NEGATIVE_INFINITY;
		h.lastValue = Number.NaN;
	}

	#append(h: TagHistory, ts: number, value: number): void {
		// A chunk closes when full, but never between two samples with the same time.
		if (h.ts.length >= CHUNK_SAMPLES && ts > h.lastTs) this.#closeOpenChunk(h);
		h.ts.push(ts);
		h.values.push(value);
		h.lastTs = ts;
		h.lastValue = value;
		this.#push([h.id, ts, value]);
		this.#stats.recorded++;
		if (this.#ops.length >= FLUSH_SAMPLES) this.flush();
	}

	/** Adds one op to the next flush; past HISTORIAN_MAX_BUFFERED_SAMPLES the oldest ops give way. */
	#push(op: HistoryOp): void {
		this.#ops.push(op);
		this.#bufferedSamples += samplesOf(op);
		if (this.#bufferedSamples <= HISTORIAN_MAX_BUFFERED_SAMPLES) return;
		let drop = 0;
		let dropped = 0;
		while (this.#bufferedSamples - dropped > HISTORIAN_MAX_BUFFERED_SAMPLES) dropped += samplesOf(this.#ops[drop++]);
		this.#ops.splice(0, drop);
		this.#bufferedSamples -= dropped;
		if (this.#stats.droppedOverflow === 0 || Math.floor((this.#stats.droppedOverflow + dropped) / 10_000) > Math.floor(this.#stats.droppedOverflow / 10_000))
			this.log.error({ dropped: this.#stats.droppedOverflow + dropped, limit: HISTORIAN_MAX_BUFFERED_SAMPLES }, 'historian: the database refuses writes and the buffer is full; the oldest samples are dropped');
		this.#stats.droppedOverflow += dropped;
	}
}

function samplesOf(op: HistoryOp): number {
	return Array.isArray(op) ? 1 : op.ts.length;
}

function concat(parts: SampleArrays[]): SampleArrays {
	const total = parts.reduce((sum, p) => sum + p.ts.length, 0);
	const ts = new Float64Array(total);
	const values = new Float64Array(total);
	let at = 0;
	for (const p of parts) {
		ts.set(p.ts, at);
		values.set(p.values, at);
		at += p.ts.length;
	}
	return { ts, values };
}

/** The samples in time order (stable): a no-op unless the clock stepped back at some point. */
function sortedByTime(s: SampleArrays): SampleArrays {
	let sorted = true;
	for (let i = 1; i < s.ts.length && sorted; i++) sorted = s.ts[i - 1] <= s.ts[i];
	if (sorted) return s;
	const order = Array.from(s.ts.keys()).sort((a, b) => s.ts[a] - s.ts[b] || a - b);
	return { ts: Float64Array.from(order, (i) => s.ts[i]), values: Float64Array.from(order, (i) => s.values[i]) };
}

/** First index whose time is ≥ t (binary search). */
function lowerBound(ts: Float64Array, t: number): number {
	let lo = 0;
	let hi = ts.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (ts[mid] < t) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}
