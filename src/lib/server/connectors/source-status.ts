import { Quality, SOURCE_STATE_PREFIX, type SourceState } from '$lib/shared/protocol';
import type { Clock } from '../clock';
import type { TagStore } from '../domain/tags/tag-store';
import type { TagUpdate } from '../domain/tags/tag-update';
import type { WriteRefusal } from '../domain/tags/write-policy';
import type { Logger } from '../log';

export interface SourceHealth {
	state: SourceState;
	/** When the state last changed (epoch ms). */
	since: number;
	messages: number;
	/** Payloads that could not be used, by reason. */
	malformed: Record<string, number>;
	/** Writes the tag store refused (a path this source does not own, undeclared, derived, over the cap), by reason. */
	refused: Record<string, number>;
	lastMessageAt?: number;
	lastError?: string;
	detail?: Record<string, unknown>;
}

/**
 * The connection state of every data source, for /healthz and for the screens: each state is also the
 * tag `_sys/sources/<id>/state`, and when a source goes down its tags turn Stale at once.
 */
export class SourceStatus {
	readonly #sources = new Map<string, SourceHealth>();

	constructor(
		private readonly store: TagStore,
		private readonly clock: Clock
	) {}

	register(id: string, detail?: Record<string, unknown>): void {
		this.#sources.set(id, { state: 'connecting', since: this.clock.now(), messages: 0, malformed: {}, refused: {}, detail });
		this.#publish(id, 'connecting');
	}

	setState(id: string, state: SourceState, error?: string): void {
		const health = this.#get(id);
		if (error !== undefined) health.lastError = error;
		if (health.state === state) return;
		health.state = state;
		health.since = this.clock.now();
		this.#publish(id, state);
		if (state !== 'connected') this.store.markOriginStale(id, this.clock.now());
	}

	countMessage(id: string): void {
		const health = this.#get(id);
		health.messages++;
		health.lastMessageAt = this.clock.now();
	}

	countMalformed(id: string, reason: string): void {
		const health = this.#get(id);
		health.malformed[reason] = (health.malformed[reason] ?? 0) + 1;
	}

	/** Counts a write the tag store refused from this source; an origin that is no source (an engine) is not counted. */
	countRefused(id: string, reason: WriteRefusal): void {
		const health = this.#sources.get(id);
		if (health) health.refused[reason] = (health.refused[reason] ?? 0) + 1;
	}

	get(id: string): SourceHealth | undefined {
		return this.#sources.get(id);
	}

	all(): Record<string, SourceHealth> {
		return Object.fromEntries(this.#sources);
	}

	#get(id: string): SourceHealth {
		const health = this.#sources.get(id);
		if (!health) throw new Error(`unknown source ${id}`);
		return health;
	}

	#publish(id: string, state: SourceState): void {
		const now = this.clock.now();
		this.store.apply({ path: `${SOURCE_STATE_PREFIX}${id}/state`, value: state, quality: Quality.Good, sourceTs: now, serverTs: now, origin: 'system' });
	}
}

/**
 * What the tag store does with a refused write: counted per source and reason (in /healthz?detail=1), and
 * the first of each source and reason logged with its path — a spoofing publisher or a wrong plant model
 * shows up once in the log, not once per message.
 */
export function refusalReporter(sources: SourceStatus, log: Logger): (update: TagUpdate, reason: WriteRefusal) => void {
	const logged = new Set<string>();
	return (update, reason) => {
		sources.countRefused(update.origin, reason);
		const key = `${update.origin} ${reason}`;
		if (logged.has(key)) return;
		logged.add(key);
		log.warn({ source: update.origin, reason, path: update.path }, 'tag write refused (further refusals of this source and reason are only counted)');
	};
}
