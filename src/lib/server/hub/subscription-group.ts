import { matchesAny, type CompiledPattern } from '$lib/shared/uns-path';
import type { ClientSession } from './client-session';

/**
 * Clients with exactly the same subscriptions (say, fifty tablets on the same operator screen) share one
 * group: the hub tracks their changed tags once and serialises each batch once for all of them, so the
 * cost of a batch grows with the number of distinct screens, not with the number of clients.
 */
export class SubscriptionGroup {
	readonly members = new Set<ClientSession>();
	/** Ids of the tags these subscriptions match. */
	readonly interest = new Set<number>();
	/** Ids changed since the last batch; a tag that changes twice is sent once, at its latest value (conflation). */
	readonly pending = new Set<number>();
	/** Ids whose path every member has been told (in its snapshot or an earlier batch). */
	readonly announced = new Set<number>();

	constructor(
		readonly key: string,
		readonly patterns: readonly CompiledPattern[]
	) {}

	wants(path: string): boolean {
		return matchesAny(this.patterns, path);
	}
}

/** The group key of a client: its distinct patterns over all its subscriptions, sorted ('' for none). */
export function groupKeyOf(subs: ReadonlyMap<number, readonly CompiledPattern[]>): string {
	const sources = new Set<string>();
	for (const patterns of subs.values()) for (const p of patterns) sources.add(p.source);
	return [...sources].sort().join('\n');
}
