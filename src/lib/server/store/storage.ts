import fs from 'node:fs';
import { Quality } from '$lib/shared/protocol';
import type { Clock } from '../clock';
import { SYSTEM_TAGS, type StorageFileValue, type StorageIntegrityValue } from '../domain/alarms/system';
import type { TagStore } from '../domain/tags/tag-store';
import type { Logger } from '../log';
import { DB_FILE_MODE, type Db } from './db';
import { openStorage, type OpenedStorage } from './open-storage';
import { describeError, primary } from './storage-errors';
import { DEFAULT_GUARD_LIMITS, StorageGuard, type StorageGuardLimits, type StorageWriteStatus } from './storage-guard';

/** How often the server checks that hmi.db on disk is still the file it has open, ms. */
export const DB_FILE_CHECK_MS = 10_000;

/** One word for the storage, worst first (the public /healthz shows only this). */
export type StorageState = 'unusable' | 'missing' | 'replaced' | 'damaged' | 'failing' | 'ok';

export interface StorageHealth {
	state: StorageState;
	file: string;
	integrity: StorageIntegrityValue;
	fileState: StorageFileValue;
	/** What the integrity check at start reported, or why the file could not be opened. */
	problems: string[];
	quickCheckMs: number;
	writes: StorageWriteStatus;
	/** Where a copy of the open database was saved after the file on disk went missing or was replaced. */
	rescuedTo: string | null;
}

export interface StorageOptions {
	dataDir: string;
	clock: Clock;
	log: Logger;
	/** Runs on the connection before anything else (tests: a disk that is full from the start). */
	prepare?: (db: Db) => void;
	limits?: StorageGuardLimits;
}

/**
 * The server's database and everything that watches it: the write gate (`guard`), the integrity found at
 * start, and the identity of hmi.db on disk (checked every DB_FILE_CHECK_MS: a file deleted or replaced
 * under the running server would otherwise go unnoticed until a restart comes up without it). Publishes
 * its conditions as `_sys/hmi/storage/…` tags, which drive the system alarms.
 */
export class Storage {
	readonly db: Db;
	readonly guard: StorageGuard;
	readonly file: string;
	readonly #opened: OpenedStorage;
	readonly #clock: Clock;
	readonly #log: Logger;
	readonly #timer: unknown;
	readonly #listeners = new Set<() => void>();
	#fileState: StorageFileValue = 'ok';
	#rescuedTo: string | null = null;

	constructor(opts: StorageOptions) {
		this.#clock = opts.clock;
		this.#log = opts.log;
		this.#opened = openStorage(opts.dataDir, opts.log, opts.prepare);
		this.db = this.#opened.db;
		this.file = this.#opened.file;
		this.guard = new StorageGuard(this.db, opts.clock, opts.log, opts.limits ?? DEFAULT_GUARD_LIMITS);
		this.#timer = opts.clock.setInterval(() => this.checkFile(), DB_FILE_CHECK_MS);
	}

	/** `damaged` when the check at start failed or a damaged page has been met since. */
	get integrity(): StorageIntegrityValue {
		if (this.#opened.integrity !== 'ok') return this.#opened.integrity;
		return this.guard.status.damage ? 'damaged' : 'ok';
	}

	/**
	 * Compares hmi.db on disk with the file the server has open (device and inode). Writes still succeed
	 * after the file was deleted — into a file nobody can open any more — so only this check can tell.
	 */
	checkFile(): StorageFileValue {
		const identity = this.#opened.identity;
		if (!identity) return this.#fileState;
		let state: StorageFileValue;
		try {
			const now = fs.statSync(this.file);
			state = now.dev === identity.dev && now.ino === identity.ino ? 'ok' : 'replaced';
		} catch (err) {
			state = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : this.#fileState;
		}
		if (state === this.#fileState) return state;
		this.#fileState = state;
		if (state === 'ok') this.#log.info({ file: this.file }, 'storage: hmi.db on disk is the open database again');
		else {
			this.#log.error(
				{ file: this.file, state },
				state === 'missing'
					? 'storage: hmi.db was deleted while the server runs; what it writes now is lost at a restart. A copy of the open database is being saved next to it'
					: 'storage: hmi.db was replaced while the server runs; the server still writes to the old file, which is lost at a restart. A copy of the open database is being saved next to it'
			);
			this.#rescue();
		}
		this.#changed();
		return state;
	}

	health(): StorageHealth {
		const writes = this.guard.status;
		const integrity = this.integrity;
		const state: StorageState =
			integrity === 'unusable' ? 'unusable' : this.#fileState !== 'ok' ? this.#fileState : integrity === 'damaged' ? 'damaged' : writes.state;
		return {
			state,
			file: this.file,
			integrity,
			fileState: this.#fileState,
			problems: [...this.#opened.problems],
			quickCheckMs: Math.round(this.#opened.quickCheckMs),
			writes,
			rescuedTo: this.#rescuedTo
		};
	}

	/** Publishes the storage's conditions as system tags now and whenever they change. */
	publishTo(store: TagStore): void {
		const set = (path: string, value: string | null) => {
			if (store.get(path)?.value === value) return;
			const now = this.#clock.now();
			store.apply({ path, value, quality: Quality.Good, sourceTs: now, serverTs: now, origin: 'system' });
		};
		const update = () => {
			const writes = this.guard.status;
			// The cause first: the alarm keeps the detail it sees when it activates.
			set(SYSTEM_TAGS.storageError, writes.lastError ? primary(writes.lastError.code) : null);
			set(SYSTEM_TAGS.storageWrites, writes.state);
			set(SYSTEM_TAGS.storageFile, this.#fileState);
			set(SYSTEM_TAGS.storageIntegrity, this.integrity);
		};
		update();
		this.#listeners.add(update);
		this.guard.onChange(update);
	}

	/** Stops watching, gives waiting rows a last try (logging any left), closes the database. */
	stop(): void {
		this.#clock.clearInterval(this.#timer);
		this.#listeners.clear();
		this.guard.stop();
		this.db.close();
	}

	/** Saves a copy of the open database next to hmi.db: after a deletion it holds the only copy of its data. */
	#rescue(): void {
		const stamp = new Date(this.#clock.now()).toISOString().replace(/[:.]/g, '-');
		const target = `${this.file}.rescued-${stamp}`;
		this.db
			.backup(target)
			.then(() => {
				fs.chmodSync(target, DB_FILE_MODE);
				this.#rescuedTo = target;
				this.#log.warn({ copy: target }, 'storage: a copy of the open database was saved; stop the server and put it in place as hmi.db to keep its data');
				this.#changed();
			})
			.catch((err: unknown) => this.#log.error({ copy: target, err: describeError(err) }, 'storage: the copy of the open database could not be saved'));
	}

	#changed(): void {
		for (const listener of this.#listeners) listener();
	}
}
