/**
 * Slows down password guessing: at most `maxFailures` failed logins per key (user name + client address)
 * within `windowMs`. Pure: time comes in as an argument. Memory is bounded by `maxKeys`.
 */
export class LoginLimiter {
	readonly #failures = new Map<string, number[]>();

	constructor(
		readonly maxFailures = 5,
		readonly windowMs = 60_000,
		readonly maxKeys = 10_000
	) {}

	/** True when this key may try again now. */
	allowed(key: string, now: number): boolean {
		return this.#recent(key, now).length < this.maxFailures;
	}

	recordFailure(key: string, now: number): void {
		const list = this.#recent(key, now);
		list.push(now);
		this.#failures.set(key, list);
		if (this.#failures.size > this.maxKeys) {
			// Forget the oldest key rather than grow without bound under a spray of names.
			const oldest = this.#failures.keys().next().value;
			if (oldest !== undefined) this.#failures.delete(oldest);
		}
	}

	recordSuccess(key: string): void {
		this.#failures.delete(key);
	}

	#recent(key: string, now: number): number[] {
		const list = (this.#failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
		if (list.length === 0) this.#failures.delete(key);
		return list;
	}
}
