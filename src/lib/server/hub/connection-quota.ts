/**
 * How many connections of one kind (WebSockets, or SSE streams) each user may hold open at once. A slot is
 * taken before the connection exists (before the WebSocket upgrade, before the SSE stream starts) and given
 * back exactly once when it ends, so a burst of parallel opens cannot slip past the count. Pure: no I/O.
 */
export class ConnectionQuota {
	readonly #open = new Map<number, number>();
	#refused = 0;

	/** @param maxPerUser most connections one user may hold open at once */
	constructor(readonly maxPerUser: number) {}

	/** Takes a slot for the user: a function that gives it back (idempotent), or null when all are taken. */
	take(userId: number): (() => void) | null {
		const open = this.#open.get(userId) ?? 0;
		if (open >= this.maxPerUser) {
			this.#refused++;
			return null;
		}
		this.#open.set(userId, open + 1);
		let given = false;
		return () => {
			if (given) return;
			given = true;
			const left = (this.#open.get(userId) ?? 1) - 1;
			if (left > 0) this.#open.set(userId, left);
			else this.#open.delete(userId);
		};
	}

	/** Connections the user holds open now. */
	openFor(userId: number): number {
		return this.#open.get(userId) ?? 0;
	}

	/** Connections refused since start. */
	get refused(): number {
		return this.#refused;
	}
}
