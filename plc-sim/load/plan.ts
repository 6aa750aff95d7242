/**
 * The load mode's plan, pure: which topic has index i, and how many messages each tick sends so that the
 * total rate is M messages/s, spread evenly over N topics (round robin: every topic once per N messages).
 */

/** Children per level of the generated tree: site/area/line/cell/tag, ten of each (100,000 topics = 10^5). */
export const LOAD_FANOUT = 10;

/** `loadtest/site3/area0/line7/cell2/tag37012` for index 37012 (ISA-95-like depth, at most 10 children per branch). */
export function loadTopic(root: string, index: number): string {
	const f = LOAD_FANOUT;
	const cell = Math.floor(index / f) % f;
	const line = Math.floor(index / f ** 2) % f;
	const area = Math.floor(index / f ** 3) % f;
	const site = Math.floor(index / f ** 4);
	return `${root}/site${site}/area${area}/line${line}/cell${cell}/tag${index}`;
}

/** A UNS payload: JSON with `value` and `timestamp_ms`. */
export function loadPayload(index: number, sent: number, now: number): string {
	// A slow wave per topic, so plots show something and consecutive messages differ.
	const value = Math.round((50 + 40 * Math.sin((sent + index) / 20)) * 100) / 100;
	return `{"value":${value},"timestamp_ms":${now}}`;
}

/**
 * Messages due in a tick of `elapsedMs` at `rate` per second, carrying the fraction over so that the long-run
 * rate is exact. Returns [count, new carry].
 */
export function dueMessages(rate: number, elapsedMs: number, carry: number): [number, number] {
	const exact = (rate * elapsedMs) / 1000 + carry;
	const count = Math.floor(exact);
	return [count, exact - count];
}
