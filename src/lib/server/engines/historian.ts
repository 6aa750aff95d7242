import { Quality } from '$lib/shared/protocol';
import { compilePattern, matchesAny } from '$lib/shared/uns-path';
import type { Clock } from '../clock';
import { downsampleIndexes } from '../domain/history/downsample';
import type { PlantModel } from '../domain/plant/schema';
import { plantTags } from '../domain/plant/view';
import type { TagRecord, TagStore } from '../domain/tags/tag-store';
import type { Logger } from '../log';
import { CHUNK_SAMPLES, type ClosedChunk, type HistoryStore, type SampleArrays } from '../store/history-store';

/**
 * Time between writes to the database, ms. Small, frequent transactions keep the event loop free: one
 * 10,000-row flush blocks it for ~40 ms, which showed as p99 latency of live values at 10,000 changes/s.
 */
const FLUSH_MS = 200;
/** A flush also happens early once this many samples wait (bounded memory under a burst). */
const FLUSH_SAMPLES = 20_000;
/** An unchanged value is recorded again after this long, ms, so a flat line still has recent points. */
const HEARTBEAT_MS = 60_000;

interface TagHistory {
	id: number;
	deadband: number;
	/** The open chunk: samples not yet in a closed chunk (they are rows in the database once flushed). */
	ts: number[];
	values: number[];
	lastTs: number;
	lastValue: number;
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
	flushes: number;
	lastFlushMs: number;
}

/**
 * Records every change of numeric tags (within their deadband) and answers range queries, downsampled so a
 * chart stays fast at any range. Writes are batched: at least once a second, in one transaction.
 */
export class Historian {
	readonly #patterns;
	readonly #deadbands = new Map<string, number>();
	readonly #tags = new Map<string, TagHistory>();
	readonly #ignored = new Set<string>();
	#pending: [number, number, number][] = [];
	#closed: ClosedChunk[] = [];
	readonly #unsubscribe: () => void;
	readonly #timer: unknown;
	readonly #stats: HistorianStats = { recorded: 0, droppedOutOfOrder: 0, flushes: 0, lastFlushMs: 0 };

	constructor(
		plant: PlantModel,
		private readonly store: TagStore,
		private readonly history: HistoryStore,
		private readonly clock: Clock,
		private readonly log: Logger
	) {
		this.#patterns = (plant.historian.patterns ?? [`${plant.enterprise}/#`]).map(compilePattern);
		for (const ref of plantTags(plant)) if (ref.tag.historianDeadband !== undefined) this.#deadbands.set(ref.path, ref.tag.historianDeadband);
		this.#unsubscribe = store.subscribe((tag) => this.record(tag));
		this.#timer = clock.setInterval(() => this.flush(), FLUSH_MS);
	}

	get stats(): HistorianStats {
		return { ...this.#stats };
	}

	/** Takes one tag update; records it when it is a numeric change worth keeping. */
	record(tag: TagRecord): void {
		if (this.#ignored.has(tag.path)) return;
		let h = this.#tags.get(tag.path);
		const numeric = typeof tag.value === 'number' ? tag.value : typeof tag.value === 'boolean' ? Number(tag.value) : null;
		if (!h) {
			if (numeric === null || !matchesAny(this.#patterns, tag.path) || tag.path.includes('/_alarms/')) {
				if (numeric === null && tag.value !== null && tag.quality === Quality.Good) this.#ignored.add(tag.path);
				return;
			}
			h = this.#open(tag.path);
		}
		const good = tag.quality === Quality.Good && numeric !== null && Number.isFinite(numeric);
		const ts = good ? tag.sourceTs : tag.serverTs;
		const value = good ? numeric : Number.NaN;
		if (ts < h.lastTs) {
			this.#stats.droppedOutOfOrder++;
			return;
		}
		const lastGap = Number.isNaN(h.lastValue);
		if (!good) {
			if (lastGap && h.ts.length > 0) return; // already a gap
		} else if (!lastGap && Math.abs(value - h.lastValue) <= h.deadband && ts - h.lastTs < HEARTBEAT_MS) {
			return;
		}
		this.#append(h, ts, value);
	}

	/** Writes what waits, in one transaction. */
	flush(): void {
		if (this.#pending.length === 0 && this.#closed.length === 0) return;
		const started = performance.now();
		const pending = this.#pending;
		const closed = this.#closed;
		this.#pending = [];
		this.#closed = [];
		try {
			this.history.appendBatch(pending, closed);
		} catch (err) {
			// Keep the samples for the next try rather than lose them (a locked or full disk).
			this.#pending = pending.concat(this.#pending);
			this.#closed = closed.concat(this.#closed);
			this.log.error({ err: (err as Error).message }, 'historian flush failed');
			return;
		}
		this.#stats.flushes++;
		this.#stats.lastFlushMs = performance.now() - started;
	}

	/** Whether a path has history. */
	has(path: string): boolean {
		return this.#tags.has(path);
	}

	/**
	 * Samples of `path` in [from, to): all of them when there are at most `maxPoints`, else a downsample
	 * that keeps each bucket's first, lowest, highest and last sample.
	 */
	query(path: string, from: number, to: number, maxPoints: number): HistoryQueryResult | undefined {
		const h = this.#tags.get(path);
		if (!h) return undefined;
		// Stored chunks, chunks closed since the last flush, then the open chunk: in time order.
		const parts: SampleArrays[] = [this.history.closedSamples(h.id, from, to), ...this.#closed.filter((c) => c.tagId === h.id)];
		parts.push({ ts: Float64Array.from(h.ts), values: Float64Array.from(h.values) });
		const all = concat(parts);
		const [lo, hi] = [lowerBound(all.ts, from), lowerBound(all.ts, to)];
		const ts = all.ts.subarray(lo, hi);
		const values = all.values.subarray(lo, hi);
		if (ts.length <= maxPoints) return { ts, values, raw: true, count: ts.length };
		const keep = downsampleIndexes(ts, values, from, to, maxPoints);
		return { ts: Float64Array.from(keep, (i) => ts[i]), values: Float64Array.from(keep, (i) => values[i]), raw: false, count: ts.length };
	}

	/** Deletes history older than `retentionDays`. */
	prune(retentionDays: number): number {
		return this.history.prune(this.clock.now() - retentionDays * 86_400_000);
	}

	stop(): void {
		this.clock.clearInterval(this.#timer);
		this.#unsubscribe();
		this.flush();
	}

	#open(path: string): TagHistory {
		const id = this.history.tagId(path);
		// Continue the open chunk left by the last run.
		const left = this.history.openSamples(id);
		const h: TagHistory = {
			id,
			deadband: this.#deadbands.get(path) ?? 0,
			ts: [...left.ts],
			values: [...left.values],
			lastTs: left.ts.length ? left.ts[left.ts.length - 1] : Number.NEGATIVE_INFINITY,
			lastValue: left.values.length ? left.values[left.values.length - 1] : Number.NaN
		};
		this.#tags.set(path, h);
		return h;
	}

	#append(h: TagHistory, ts: number, value: number): void {
		// A chunk closes when full, but never between two samples with the same time.
		if (h.ts.length >= CHUNK_SAMPLES && ts > h.lastTs) {
			this.#closed.push({ tagId: h.id, ts: Float64Array.from(h.ts), values: Float64Array.from(h.values) });
			h.ts = [];
			h.values = [];
		}
		h.ts.push(ts);
		h.values.push(value);
		h.lastTs = ts;
		h.lastValue = value;
		this.#pending.push([h.id, ts, value]);
		this.#stats.recorded++;
		if (this.#pending.length >= FLUSH_SAMPLES) this.flush();
	}
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
