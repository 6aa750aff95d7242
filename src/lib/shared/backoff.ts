/**
 * How long a reconnect loop waits before its next attempt: one policy for every loop, on the server (OPC UA
 * connector, MQTT clients) and in the browser (live client, UNS browser). Pure: time comes in as `now`
 * arguments and randomness from an injected source, so tests drive it without timers.
 *
 * The delay grows by `factor` per failed attempt from `initialMs` up to `maxMs`, with jitter so that many
 * clients that lost the same server (a hundred tablets, several HMI replicas on one broker) do not all come
 * back in the same millisecond. A connection that stayed up for `resetAfterMs` starts its next outage from
 * `initialMs` again; one that drops sooner (a server that accepts and then closes at once) keeps backing off.
 */

/**
 * `full`: anywhere in [0, d] — spreads a crowd best. `equal`: in [d/2, d] — spread, but never much sooner
 * than the step. `none`: exactly d (only where a single client waits, e.g. a test).
 */
export type Jitter = 'full' | 'equal' | 'none';

export interface BackoffPolicy {
	/** Delay before the first retry (without jitter), ms. */
	initialMs: number;
	/** The delay never grows beyond this, ms. */
	maxMs: number;
	/** Growth per failed attempt in a row (2 doubles it). */
	factor: number;
	jitter: Jitter;
	/** A connection that was up at least this long resets the backoff when it drops, ms. */
	resetAfterMs: number;
}

/** The policy every loop starts from; each loop overrides what its peer needs (e.g. a shorter first step). */
export const DEFAULT_BACKOFF: BackoffPolicy = {
	initialMs: 1_000,
	maxMs: 15_000,
	factor: 2,
	jitter: 'equal',
	resetAfterMs: 10_000
};

/** A policy from `base` and what a loop changes; a caller's `undefined` keeps the base value. */
export function backoffPolicy(overrides: Partial<BackoffPolicy> = {}, base: BackoffPolicy = DEFAULT_BACKOFF): BackoffPolicy {
	const policy = { ...base };
	for (const [key, value] of Object.entries(overrides) as [keyof BackoffPolicy, never][]) if (value !== undefined) policy[key] = value;
	return policy;
}

/**
 * The wait before retry number `attempt` (0 for the first retry after a loss), ms, rounded to whole ms.
 * @param random uniform in [0, 1), like `Math.random`
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number): number {
	const step = Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.max(0, attempt));
	switch (policy.jitter) {
		case 'full':
			return Math.round(step * random());
		case 'equal':
			return Math.round(step / 2 + (step / 2) * random());
		case 'none':
			return Math.round(step);
	}
}

/**
 * One loop's backoff state: failed attempts in a row and since when the connection is up. Call `connected`
 * when a connection is established and `nextDelay` whenever it is lost or an attempt fails.
 */
export class Backoff {
	#attempt = 0;
	#upSince: number | null = null;

	constructor(
		readonly policy: BackoffPolicy,
		private readonly random: () => number = Math.random
	) {}

	/** Failed attempts since the last reset: the next delay is for retry number `attempt`. */
	get attempt(): number {
		return this.#attempt;
	}

	/** A connection is up, from `now` (ms, any monotonic or wall clock the loop uses throughout). */
	connected(now: number): void {
		this.#upSince = now;
	}

	/**
	 * The connection was lost, or an attempt failed, at `now`: the wait before the next attempt, ms. A
	 * connection up for `resetAfterMs` or more starts again from the first step.
	 */
	nextDelay(now: number): number {
		if (this.#upSince !== null && now - this.#upSince >= this.policy.resetAfterMs) this.#attempt = 0;
		this.#upSince = null;
		return backoffDelay(this.policy, this.#attempt++, this.random);
	}

	/** Start from the first step next time (e.g. the network is back: the outage had a known cause). */
	reset(): void {
		this.#attempt = 0;
		this.#upSince = null;
	}
}
