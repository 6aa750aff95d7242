import { Quality } from '$lib/shared/protocol';
import type { TagUpdate } from './tag-update';
import type { WritePolicy, WriteRefusal } from './write-policy';
import { compilePattern, matchesPattern } from '$lib/shared/uns-path';

/** The current state of one tag. `id` is a small number, stable for the life of the process. */
export interface TagRecord extends TagUpdate {
	readonly id: number;
	/** How many updates this tag has had. */
	updates: number;
}

export type TagListener = (tag: TagRecord, isNew: boolean) => void;

/** Most tags a store holds unless told otherwise: far above a real plant, far below what exhausts memory. */
export const DEFAULT_MAX_TAGS = 100_000;

export interface TagStoreOptions {
	/** Who may write which path; without one every write is taken (unit tests of other parts). */
	policy?: WritePolicy;
	/** New paths past this many are refused (`tag-cap`). */
	maxTags?: number;
	/** Told of every refused write (to count it per source and log the first). */
	onRefused?: (update: TagUpdate, reason: WriteRefusal) => void;
}

/**
 * Last-value cache of every tag, with change listeners. Pure: no timers, no clock; callers pass times in.
 * Every applied update is passed on (even an unchanged value: its timestamp is news for staleness);
 * conflation is the hub's job. The one gate for every write: the write policy decides who may write a
 * path, and the store never grows past its cap.
 */
export class TagStore {
	readonly #byPath = new Map<string, TagRecord>();
	readonly #byId: TagRecord[] = [];
	readonly #listeners = new Set<TagListener>();
	readonly #policy: WritePolicy | undefined;
	readonly #maxTags: number;
	readonly #onRefused: TagStoreOptions['onRefused'];
	#frozen = false;

	constructor(options: TagStoreOptions = {}) {
		this.#policy = options.policy;
		this.#maxTags = options.maxTags ?? DEFAULT_MAX_TAGS;
		this.#onRefused = options.onRefused;
	}

	get size(): number {
		return this.#byId.length;
	}

	/**
	 * Stores an update and tells the listeners. Returns the tag's record, or undefined when the write was
	 * refused (the policy's reason, or the cap); a refused write changes nothing.
	 */
	apply(update: TagUpdate): TagRecord | undefined {
		if (this.#frozen) return undefined;
		let tag = this.#byPath.get(update.path);
		// The policy decided this path and origin when the tag was made; only another origin asks again.
		if (tag === undefined || tag.origin !== update.origin) {
			const refusal = this.#refusal(update, tag === undefined);
			if (refusal !== null) {
				this.#onRefused?.(update, refusal);
				return undefined;
			}
		}
		const isNew = tag === undefined;
		if (tag === undefined) {
			tag = { ...update, id: this.#byId.length, updates: 1 };
			this.#byPath.set(update.path, tag);
			this.#byId.push(tag);
		} else {
			tag.value = update.value;
			tag.quality = update.quality;
			tag.sourceTs = update.sourceTs;
			tag.serverTs = update.serverTs;
			tag.origin = update.origin;
			tag.updates++;
		}
		for (const listener of this.#listeners) listener(tag, isNew);
		return tag;
	}

	/**
	 * Keeps the last value but changes its quality (a malformed payload, a source going down).
	 * Creates the tag with a null value when it was never seen, so the bad quality is still visible.
	 * Goes through the same gate as a value: only the path's owner may spoil its quality.
	 */
	setQuality(path: string, quality: Quality, origin: string, now: number): TagRecord | undefined {
		const tag = this.#byPath.get(path);
		if (tag === undefined) return this.apply({ path, value: null, quality, sourceTs: now, serverTs: now, origin });
		if (tag.quality === quality && tag.origin === origin) return tag;
		return this.apply({ ...tag, quality, serverTs: now, origin });
	}

	/** Marks every Good tag from `origin` as Stale (its source went down). Returns how many changed. */
	markOriginStale(origin: string, now: number): number {
		if (this.#frozen) return 0;
		let changed = 0;
		for (const tag of this.#byId) {
			if (tag.origin === origin && tag.quality === Quality.Good) {
				this.apply({ ...tag, quality: Quality.Stale, serverTs: now });
				changed++;
			}
		}
		return changed;
	}

	/**
	 * Marks Good tags of the given origins Stale when they were not refreshed within `maxAgeMs`.
	 * Used for MQTT, where a silent publisher is indistinguishable from a dead one.
	 */
	sweepStale(origins: ReadonlySet<string>, now: number, maxAgeMs: number): number {
		if (this.#frozen) return 0;
		let changed = 0;
		for (const tag of this.#byId) {
			if (tag.quality === Quality.Good && origins.has(tag.origin) && now - tag.serverTs > maxAgeMs) {
				// serverTs stays: it is when we last heard of the tag.
				tag.quality = Quality.Stale;
				for (const listener of this.#listeners) listener(tag, false);
				changed++;
			}
		}
		return changed;
	}

	/**
	 * Takes no more changes: the values stay as they were. The runtime freezes the store first when it stops,
	 * so that its sources going away is not seen by the engines as the plant going stale (no alarms, no
	 * quality changes in the history, no journal rows for a shutdown).
	 */
	freeze(): void {
		this.#frozen = true;
	}

	#refusal(update: TagUpdate, isNew: boolean): WriteRefusal | null {
		const byPolicy = this.#policy ? this.#policy.check(update.path, update.origin) : null;
		if (byPolicy !== null) return byPolicy;
		return isNew && this.#byId.length >= this.#maxTags ? 'tag-cap' : null;
	}

	get(path: string): TagRecord | undefined {
		return this.#byPath.get(path);
	}

	getById(id: number): TagRecord | undefined {
		return this.#byId[id];
	}

	/** Every tag whose path matches the MQTT-style pattern, in order of first appearance. */
	match(pattern: string): TagRecord[] {
		const compiled = compilePattern(pattern);
		return this.#byId.filter((tag) => matchesPattern(compiled, tag.path));
	}

	all(): readonly TagRecord[] {
		return this.#byId;
	}

	/** Listens to every update; returns the function that stops listening. */
	subscribe(listener: TagListener): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}
}
