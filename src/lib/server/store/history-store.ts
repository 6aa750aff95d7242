import type { Db } from './db';

/** Samples of one tag as two parallel arrays, ascending in time. A NaN value marks a gap (bad or stale). */
export interface SampleArrays {
	ts: Float64Array;
	values: Float64Array;
}

/** Samples per closed chunk: big enough to read fast in bulk, small enough to close often at 1 Hz. */
export const CHUNK_SAMPLES = 512;

/**
 * SQL for the historian. Closed chunks are BLOBs of Float64 `[ts₀…tsₙ, v₀…vₙ]`; the open chunk of each tag
 * is rows in `history_open`. `appendBatch` writes one flush in one transaction.
 */
export class HistoryStore {
	readonly #tagId;
	readonly #newTag;
	readonly #insertOpen;
	readonly #insertChunk;
	readonly #deleteOpen;
	readonly #chunks;
	readonly #open;

	constructor(private readonly db: Db) {
		this.#tagId = db.prepare('SELECT id FROM history_tags WHERE path = ?').pluck();
		this.#newTag = db.prepare('INSERT INTO history_tags (path) VALUES (?)');
		this.#insertOpen = db.prepare('INSERT INTO history_open (tag_id, ts, value) VALUES (?, ?, ?)');
		this.#insertChunk = db.prepare('INSERT OR REPLACE INTO history_chunks (tag_id, start, end, n, data) VALUES (?, ?, ?, ?, ?)');
		this.#deleteOpen = db.prepare('DELETE FROM history_open WHERE tag_id = ? AND ts <= ?');
		this.#chunks = db.prepare('SELECT n, data FROM history_chunks WHERE tag_id = ? AND end >= ? AND start < ? ORDER BY start').raw();
		this.#open = db.prepare('SELECT ts, value FROM history_open WHERE tag_id = ? ORDER BY ts, rowid').raw();
	}

	/** The id of a tag's history, created on first use. */
	tagId(path: string): number {
		const id = this.#tagId.get(path) as number | undefined;
		return id ?? Number(this.#newTag.run(path).lastInsertRowid);
	}

	/** Known historised paths. */
	paths(): Map<string, number> {
		const rows = this.db.prepare('SELECT path, id FROM history_tags').raw().all() as [string, number][];
		return new Map(rows);
	}

	/**
	 * One flush: new samples of open chunks as rows, and chunks that closed as BLOBs (their rows removed).
	 * All or nothing.
	 */
	appendBatch(samples: readonly [tagId: number, ts: number, value: number][], closed: readonly ClosedChunk[]): void {
		this.db.transaction(() => {
			for (const [tagId, ts, value] of samples) this.#insertOpen.run(tagId, ts, Number.isNaN(value) ? null : value);
			for (const chunk of closed) {
				this.#insertChunk.run(chunk.tagId, chunk.ts[0], chunk.ts[chunk.ts.length - 1], chunk.ts.length, pack(chunk.ts, chunk.values));
				this.#deleteOpen.run(chunk.tagId, chunk.ts[chunk.ts.length - 1]);
			}
		})();
	}

	/** Samples of the still-open chunk of a tag (after a restart, to continue it). */
	openSamples(tagId: number): SampleArrays {
		const rows = this.#open.all(tagId) as [number, number | null][];
		return { ts: Float64Array.from(rows, (r) => r[0]), values: Float64Array.from(rows, (r) => r[1] ?? Number.NaN) };
	}

	/** Samples of closed chunks that overlap [from, to), concatenated (not yet cut to the range). */
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

	/** Deletes closed chunks that ended before `before` (retention). */
	prune(before: number): number {
		return this.db.prepare('DELETE FROM history_chunks WHERE end < ?').run(before).changes;
	}
}

export interface ClosedChunk {
	tagId: number;
	ts: Float64Array;
	values: Float64Array;
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
