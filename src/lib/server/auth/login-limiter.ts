import { addressKeyOf } from './client-address';

/** How many failed sign-ins are allowed, over which windows, and how an address past its budget is slowed. */
export interface LoginLimits {
	/** Failures per user name from one client address within `userWindowMs`; more are refused. */
	maxFailuresPerUser: number;
	userWindowMs: number;
	/** Failures from one client address, whatever the user names, within `addressWindowMs`; past them it is slowed. */
	maxFailuresPerAddress: number;
	addressWindowMs: number;
	/** Past the address budget: the delay before the hash of the first attempt is checked, ms; doubles per further failure. */
	slowDelayMs: number;
	/** The delay grows up to this, ms. */
	maxSlowDelayMs: number;
	/** Slowed attempts from one address at a time (waiting or being checked); more are refused at once. */
	maxSlowedPerAddress: number;
	/** Most keys remembered; the oldest is forgotten first (a spray of names cannot grow memory). */
	maxKeys: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
	maxFailuresPerUser: 5,
	userWindowMs: 60_000,
	maxFailuresPerAddress: 20,
	addressWindowMs: 5 * 60_000,
	slowDelayMs: 1000,
	maxSlowDelayMs: 8000,
	maxSlowedPerAddress: 4,
	maxKeys: 10_000
};

/** One sign-in attempt that has been counted; `succeeded` takes it back, `finished` ends it. */
export interface LoginAttempt {
	readonly userKey: string;
	readonly addressKey: string;
	readonly at: number;
	/** Wait this long before checking the password, ms (0 within the address budget). */
	readonly delayMs: number;
	/** Holds one of its address's slowed slots until `finished`. */
	readonly slowed: boolean;
}

/**
 * Why an attempt was refused before its password was looked at: `user` — that user name has had its
 * failures from this address (guessing one account); `busy` — this address is past its budget and already
 * has `maxSlowedPerAddress` attempts waiting.
 */
export interface LoginRefusal {
	readonly refused: 'user' | 'busy';
}

/**
 * Slows down password guessing without locking a plant out. An attempt is counted as a failure when it
 * starts, before the password is checked: otherwise every guess that starts while the first ones are still
 * hashing gets checked too (200 parallel guesses all were).
 *
 * Two budgets. User name + client address: past it, attempts for that name are refused — that stops
 * guessing one account, and a guesser elsewhere does not lock the real user out. The client address across
 * all names: past it, attempts are not refused but slowed — a delay before the hash is checked that doubles
 * with every further failure up to `maxSlowDelayMs`, and at most `maxSlowedPerAddress` of them at a time.
 * Refusing them would lock out everyone who shares the address (tablets behind a NAT, every client behind a
 * proxy without ADDRESS_HEADER) as soon as one kiosk with an old password or one guesser had spent it, the
 * right password included, during an incident. Addresses are counted by `addressKeyOf` (IPv6 by its /64).
 *
 * A right password takes its attempt back and forgets that user's failures from that address, but not the
 * address's others: signing in with one's own account must not reset the budget for guessing someone else's.
 * Pure: time comes in as an argument; memory is bounded by `maxKeys`.
 */
export class LoginLimiter {
	readonly #failures = new Map<string, number[]>();
	/** Slowed attempts in progress per address key. */
	readonly #slowed = new Map<string, Set<LoginAttempt>>();
	readonly limits: LoginLimits;

	constructor(limits: Partial<LoginLimits> = {}) {
		this.limits = { ...DEFAULT_LOGIN_LIMITS, ...limits };
	}

	/**
	 * Counts an attempt for `username` from `address`, or refuses it. Call `finished` once it is checked.
	 * @param now epoch ms
	 */
	reserve(username: string, address: string, now: number): LoginAttempt | LoginRefusal {
		const addressKey = addressKeyOf(address);
		const userKey = `user|${username.toLowerCase()}|${addressKey}`;
		const { maxFailuresPerUser, userWindowMs, maxFailuresPerAddress, addressWindowMs, slowDelayMs, maxSlowDelayMs, maxSlowedPerAddress } = this.limits;
		const userList = this.#recent(userKey, now, userWindowMs);
		const addressList = this.#recent(`address|${addressKey}`, now, addressWindowMs);
		if (userList.length >= maxFailuresPerUser) return { refused: 'user' };
		const pastBudget = addressList.length - maxFailuresPerAddress;
		const slowed = pastBudget >= 0;
		const inProgress = this.#slowed.get(addressKey);
		if (slowed && (inProgress?.size ?? 0) >= maxSlowedPerAddress) return { refused: 'busy' };
		this.#record(userKey, userList, now);
		this.#record(`address|${addressKey}`, addressList, now);
		const delayMs = slowed ? Math.min(maxSlowDelayMs, slowDelayMs * 2 ** Math.min(pastBudget, 30)) : 0;
		const attempt: LoginAttempt = { userKey, addressKey, at: now, delayMs, slowed };
		if (slowed) {
			if (inProgress) inProgress.add(attempt);
			else this.#slowed.set(addressKey, new Set([attempt]));
		}
		return attempt;
	}

	/** The password was right: this attempt does not count, nor do the user's earlier failures from that address. */
	succeeded(attempt: LoginAttempt): void {
		this.#failures.delete(attempt.userKey);
		const list = this.#failures.get(`address|${attempt.addressKey}`);
		const i = list?.indexOf(attempt.at) ?? -1;
		if (list && i >= 0) list.splice(i, 1);
	}

	/** The attempt has been checked (whatever the outcome): a slowed one frees its address's slot. */
	finished(attempt: LoginAttempt): void {
		const inProgress = this.#slowed.get(attempt.addressKey);
		if (!inProgress?.delete(attempt)) return;
		if (inProgress.size === 0) this.#slowed.delete(attempt.addressKey);
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

/** True when `reserve` refused the attempt. */
export function isRefusal(result: LoginAttempt | LoginRefusal): result is LoginRefusal {
	return 'refused' in result;
}
