/** A table's row count is taken afresh on every this-many uses, and kept up to date by the writer in between. */
export const RECOUNT_EVERY = 24;

/**
 * The number of rows of a big table without counting it each time: COUNT(*) over a million journal rows
 * blocks the event loop for 0.15–0.3 s (measured), too long to do every hour. The writer adds and removes
 * as it goes; a recount now and then corrects any drift (a row counted in a batch that was rolled back).
 */
export class RowCount {
	#rows: number | null = null;
	#uses = 0;

	constructor(private readonly count: () => number) {}

	get(): number {
		const due = this.#uses++ % RECOUNT_EVERY === 0;
		if (due || this.#rows === null) this.#rows = this.count();
		return this.#rows;
	}

	add(delta: number): void {
		if (this.#rows !== null) this.#rows = Math.max(0, this.#rows + delta);
	}
}
