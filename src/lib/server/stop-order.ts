import type { Logger } from './log';

type Stop = () => void | Promise<void>;

/**
 * The runtime's parts stop in the reverse of the order they started: what was started last depends on what
 * came before it (the connectors on the tag store, the tag store's readers on the database), so it goes
 * first. Each part is named once, as it starts; a start that fails half-way stops what did start, by
 * the same list. A part that fails to stop is logged and the others still stop.
 *
 * Parts started with `first` stop before all the others (among themselves, last started first too): the
 * engines save what they hold before any connector is taken down, since closing a connection to a PLC that
 * does not answer can take longer than the process is given to stop.
 */
export class StopOrder {
	readonly #parts: { name: string; stop: Stop; first: boolean }[] = [];
	#stopping: Promise<void> | null = null;

	constructor(private readonly log: Logger) {}

	/** Records that `name` has started and how it stops; returns `part` so a start reads as one line. */
	started<T>(name: string, part: T, stop: (part: T) => void | Promise<void>, opts: { first?: boolean } = {}): T {
		this.#parts.push({ name, stop: () => stop(part), first: opts.first ?? false });
		return part;
	}

	/** The names in the order they will stop. */
	get stopSequence(): string[] {
		return this.#sequence().map((p) => p.name);
	}

	#sequence(): { name: string; stop: Stop }[] {
		const reversed = [...this.#parts].reverse();
		return [...reversed.filter((p) => p.first), ...reversed.filter((p) => !p.first)];
	}

	/** Stops every part, last started first, one at a time; calling it again waits for the same stop. */
	stopAll(): Promise<void> {
		this.#stopping ??= (async () => {
			for (const { name, stop } of this.#sequence()) {
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
