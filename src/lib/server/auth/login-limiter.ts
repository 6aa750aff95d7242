/** How many failed sign-ins are allowed, and over which windows. */
export interface LoginLimits {
	/** Failures per user name from one client address within `userWindowMs`. */
	maxFailuresPerUser: number;
	userWindowMs: number;
	/** Failures from one client address, whatever the user names, within `addressWindowMs`. */
	maxFailuresPerAddress: number;
	addressWindowMs: number;
	/** Most keys remembered; the oldest is forgotten first (a spray of names cannot grow memory). */
	maxKeys: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
	maxFailuresPerUser: 5,
	userWindowMs: 60_000,
	maxFailuresPerAddress: 20,
	addressWindowMs: 5 * 60_000,
	maxKeys: 10_000
};

/** One sign-in attempt that has been counted; `succeeded` takes it back. */
export interface LoginAttempt {
	readonly userKey: string;
	readonly addressKey: string;
	readonly at: number;
}

/**
 * Slows down password guessing. An attempt is counted as a failure when it starts, before the password is
 * checked: otherwise every guess that starts while the first ones are still hashing gets checked too (200
 * parallel guesses all were). Two budgets must both have room: user name + client address, and the client
 * address alone across all names. A right password takes its attempt back and forgets that user's failures
 * from that address, but not the address's others: signing in with one's own account must not reset the
 * budget for guessing someone else's. Pure: time comes in as an argument; memory is bounded by `maxKeys`.
 */
export class LoginLimiter {
	readonly #failures = new Map<string, number[]>();
	readonly limits: LoginLimits;

	constructor(limits: Partial<LoginLimits> = {}) {
		this.limits = { ...DEFAULT_LOGIN_LIMITS, ...limits };
	}

	/**
	 * Counts an attempt for `username` from `address`, or refuses it (null) when either budget is spent.
	 * @param now epoch ms
	 */
	reserve(username: string, address: string, now: number): LoginAttempt | null {
		const userKey = `user|${username.toLowerCase()}|${address}`;
		const addressKey = `address|${address}`;
		const { maxFailuresPerUser, userWindowMs, maxFailuresPerAddress, addressWindowMs } = this.limits;
		const userList = this.#recent(userKey, now, userWindowMs);
		const addressList = this.#recent(addressKey, now, addressWindowMs);
		if (userList.length >= maxFailuresPerUser || addressList.length >= maxFailuresPerAddress) return null;
		this.#record(userKey, userList, now);
		this.#record(addressKey, addressList, now);
		return { userKey, addressKey, at: now };
	}

	/** The password was right: this attempt does not count, nor do the user's earlier failures from that address. */
	succeeded(attempt: LoginAttempt): void {
		this.#failures.delete(attempt.userKey);
		const list = this.#failures.get(attempt.addressKey);
		const i = list?.indexOf(attempt.at) ?? -1;
		if (list && i >= 0) list.splice(i, 1);
	}

	#record(key: string, list: number[], now: number): void {
		list.push(now);
		// Re-inserted, so the map's order is by last use and the first key is the one to forget.
		this.#failures.delete(key);
		this.#failures.set(key, list);
		if (this.#failures.size > this.limits.maxKeys) {
			const oldest = this.#failures.keys().next().value;
			if (oldest !== undefined) this.#failures.delete(oldest);
		}
	}

	#recent(key: string, now: number, windowMs: number): number[] {
		const list = (this.#failures.get(key) ?? []).filter((t) => now - t < windowMs);
		if (list.length === 0) this.#failures.delete(key);
		return list;
	}
}
