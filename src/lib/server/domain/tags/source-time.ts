/** Malformed-reason of a value stamped too far ahead of this server's clock. */
export const FUTURE_TIMESTAMP = 'future-timestamp';

/**
 * True when a source's timestamp lies further ahead of our clock than the tolerance allows. Such a value
 * is refused as malformed: one message stamped years ahead would otherwise sort after everything the tag
 * ever reports again (history, "newest value" checks). Sources stamped behind us are fine: data is late
 * more often than clocks are wrong.
 * @param sourceTs the source's timestamp, epoch ms
 * @param now this server's clock, epoch ms
 * @param maxFutureMs how far ahead a source clock may run, ms
 */
export function isTooFarAhead(sourceTs: number, now: number, maxFutureMs: number): boolean {
	return sourceTs - now > maxFutureMs;
}
