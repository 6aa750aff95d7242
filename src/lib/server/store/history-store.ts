import type { Db } from './db';
import type { PresentTime, PruneResult } from '../domain/time/retention';
import { pruneStamped, type StampedTable } from './prune';
import { RowCount } from './row-count';

/** Samples of one tag as two parallel arrays, ascending in time. A NaN value marks a gap (bad or stale). */
export interface SampleArrays {
	ts: Float64Array;
	values: Float64Array;
}

/** Samples per closed chunk: big enough to read fast in bulk, small enough to close often at 1 Hz. */
export const CHUNK_SAMPLES = 512;

export interface ClosedChunk {
	tagId: number;
	ts: Float64Array;
	values: Float64Array;
}

/** One sample of a tag's open chunk: [tagId, ts, value]. */
export type SampleOp = [tagId: number, ts: number, value: number];

/**
 * One step of a flush, in the order the historian made them: a sample joins its tag's open chunk (a row in
 * `history_open`), or the tag's open chunk closes (a BLOB in `history_chunks`, its rows removed).
 */
export type HistoryOp = SampleOp | ClosedChunk;

/**
 * SQL for the historian. Closed chunks are BLOBs of Float64 `[ts₀…tsₙ, v₀…vₙ]`; the open chunk of each tag
 * is rows in `history_open`. `appendBatch` writes one flush in one transaction.
 */
export class HistoryStore {
	readonly #tagId;
	readonly #newTag;
	readonly #insertOpen;
	readonly #insertChunk;
	readonly #chunkAt;
	readonly #replaceChunk;
	readonly #deleteOpen;
	readonly #chunks;
	readonly #open;
	/** Closed chunks. */
	readonly #rows: RowCount;
	readonly #stamped: StampedTable;

	constructor(private readonly db: Db) {
		this.#tagId = db.prepare('SELECT id FROM history_tags WHERE path = ?').pluck();
		this.#newTag = db.prepare('INSERT INTO history_tags (path) VALUES (?)');
		this.#insertOpen = db.prepare('INSERT INTO history_open (tag_id, ts, value) VALUES (?, ?, ?)');
		this.#insertChunk = db.prepare('INSERT INTO history_chunks (tag_id, start, end, n, data) VALUES (?, ?, ?, ?, ?) ON CONFLICT (tag_id, start) DO NOTHING');
		this.#chunkAt = db.prepare('SELECT n, data FROM history_chunks WHERE tag_id = ? AND start = ?').raw();
		this.#replaceChunk = db.prepare('UPDATE history_chunks SET end = ?, n = ?, data = ? WHERE tag_id = ? AND start = ?');
		this.#deleteOpen = db.prepare('DELETE FROM history_open WHERE tag_id = ?');
		this.#chunks = db.prepare('SELECT n, data FROM history_chunks WHERE tag_id = ? AND end >= ? AND start < ? ORDER BY start').raw();
		this.#open = db.prepare('SELECT ts, value FROM history_open WHERE tag_id = ? ORDER BY ts, rowid').raw();
		this.#rows = new RowCount(() => db.prepare('SELECT COUNT(*) FROM history_chunks').pluck().get() as number);
		this.#stamped = {
			newestIn: db.prepare('SELECT MAX(end) FROM history_chunks WHERE end >= ? AND end < ?').pluck(),
			deleteIn: db.prepare('DELETE FROM history_chunks WHERE (tag_id, start) IN (SELECT tag_id, start FROM history_chunks WHERE end >= ? AND end < ? ORDER BY end LIMIT ?)'),
			rows: this.#rows
		};
	}

	/** The id of a tag's history, or undefined when it has none. */
	findTagId(path: string): number | undefined {
		return this.#tagId.get(path) as number | undefined;
	}

	/** Creates the history of a tag; returns its id. */
	createTag(path: string): number {
		return this.findTagId(path) ?? Number(this.#newTag.run(path).lastInsertRowid);
	}

	/** Known historised paths. */
	paths(): Map<string, number> {
		const rows = this.db.prepare('SELECT path, id FROM history_tags').raw().all() as [string, number][];
		return new Map(rows);
	}

	/**
	 * One flush, all or nothing, in the order the ops were made. A chunk that closes takes every open row of
	 * its tag with it: at that point in the sequence all of them belong to it (later samples follow the close).
	 */
	appendBatch(ops: readonly HistoryOp[]): void {
		this.db.transaction(() => {
			for (const op of ops) {
				if (Array.isArray(op)) {
					const [tagId, ts, value] = op;
					this.#insertOpen.run(tagId, ts, Number.isNaN(value) ? null : value);
				} else {
					this.#closeChunk(op);
					this.#deleteOpen.run(op.tagId);
				}
			}
		})();
	}

	/** Samples of the still-open chunk of a tag (after a restart, to continue it), in time order. */
	openSamples(tagId: number): SampleArrays {
		const rows = this.#open.all(tagId) as [number, number | null][];
		return { ts: Float64Array.from(rows, (r) => r[0]), values: Float64Array.from(rows, (r) => r[1] ?? Number.NaN) };
	}

	/**
	 * Samples of closed chunks that overlap [from, to), concatenated in the order the chunks start (not yet cut
	 * to the range). After the clock stepped back two chunks can overlap: the caller sorts when it must.
	 */
	closedSamples(tagId: number, from: number, to: number): SampleArrays {
		const parts: [Float64Array, number][] = [];
		let total = 0;
		for (const [n, blob] of this.#chunks.iterate(tagId, from, to) as Iterable<[number, Buffer]>) {
			parts.push([unpack(blob, n), n]);
			total += n;
		}
		const ts = new Float64Array(total);
		const values = new Float64Array(total);
		let at = 0;
		for (const [data, n] of parts) {
			ts.set(data.subarray(0, n), at);
			values.set(data.subarray(n, 2 * n), at);
			at += n;
		}
		return { ts, values };
	}

	/** The end of the oldest-ending closed chunk, or null when there is none (what retention goes by). */
	oldestEnd(): number | null {
		return this.db.prepare('SELECT MIN(end) FROM history_chunks').pluck().get() as number | null;
	}

	/**
	 * Deletes closed chunks that ended more than `retentionMs` ago in corrected time (see `pruneStamped`),
	 * oldest first, at most `PRUNE_MAX_SHARE` of the chunks in one go.
	 */
	prune(time: PresentTime, retentionMs: number): PruneResult {
		return pruneStamped(this.db, this.#stamped, time, retentionMs);
	}

	/**
	 * Stores a closed chunk. Two chunks of a tag starting at the same millisecond (possible after the clock
	 * stepped back) are merged rather than one replacing the other; a chunk written twice (a flush retried
	 * after a failed commit) stays one.
	 */
	#closeChunk(chunk: ClosedChunk): void {
		const { tagId, ts, values } = chunk;
		const start = ts[0];
		if (this.#insertChunk.run(tagId, start, ts[ts.length - 1], ts.length, pack(ts, values)).changes > 0) {
			this.#rows.add(1);
			return;
		}
		const [n, blob] = this.#chunkAt.get(tagId, start) as [number, Buffer];
		const stored = unpack(blob, n);
		const merged = mergeSamples({ ts: stored.subarray(0, n), values: stored.subarray(n, 2 * n) }, { ts, values });
		this.#replaceChunk.run(merged.ts[merged.ts.length - 1], merged.ts.length, pack(merged.ts, merged.values), tagId, start);
	}
}

/** Two sample sets as one, in time order, without exact duplicates (same time and value). */
export function mergeSamples(a: SampleArrays, b: SampleArrays): SampleArrays {
	const pairs: [number, number][] = [];
	for (const s of [a, b]) for (let i = 0; i < s.ts.length; i++) pairs.push([s.ts[i], s.values[i]]);
	pairs.sort((x, y) => x[0] - y[0]);
	const kept = pairs.filter((p, i) => i === 0 || p[0] !== pairs[i - 1][0] || !Object.is(p[1], pairs[i - 1][1]));
	return { ts: Float64Array.from(kept, (p) => p[0]), values: Float64Array.from(kept, (p) => p[1]) };
}

function pack(ts: Float64Array, values: Float64Array): Buffer {
	const data = new Float64Array(ts.length * 2);
	data.set(ts, 0);
	data.set(values, ts.length);
	return Buffer.from(data.buffer);
}

function unpack(blob: Buffer, n: number): Float64Array {
	// A Float64Array view needs 8-byte alignment; copy when SQLite's buffer is not aligned.
	if (blob.byteOffset % 8 === 0) return new Float64Array(blob.buffer, blob.byteOffset, n * 2);
	return new Float64Array(new Uint8Array(blob).buffer, 0, n * 2);
}
