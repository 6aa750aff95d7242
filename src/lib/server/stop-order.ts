import type { Logger } from './log';

type Stop = () => void | Promise<void>;

/**
 * The runtime's parts stop in the reverse of the order they started: what was started last depends on what
 * came before it (the connectors on the tag store, the tag store's readers on the database), so it goes
 * first. Each part is named once, as it starts; a start that fails half-way stops what did start, by
 * the same list. A part that fails to stop is logged and the others still stop.
 */
export class StopOrder {
	readonly #parts: { name: string; stop: Stop }[] = [];
	#stopping: Promise<void> | null = null;

	constructor(private readonly log: Logger) {}

	/** Records that `name` has started and how it stops; returns `part` so a start reads as one line. */
	started<T>(name: string, part: T, stop: (part: T) => void | Promise<void>): T {
		this.#parts.push({ name, stop: () => stop(part) });
		return part;
	}

	/** The names in the order they will stop. */
	get stopSequence(): string[] {
		return this.#parts.map((p) => p.name).reverse();
	}

	/** Stops every part, last started first, one at a time; calling it again waits for the same stop. */
	stopAll(): Promise<void> {
		this.#stopping ??= (async () => {
			for (const { name, stop } of [...this.#parts].reverse()) {
				try {
					await stop();
				} catch (err) {
					this.log.warn({ err, part: name }, 'stop failed');
				}
			}
		})();
		return this.#stopping;
	}
}
