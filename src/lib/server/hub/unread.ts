/**
 * How far behind on reading a client may fall, and when it counts as not reading: one set of rules for
 * everything sent on a socket, the hub's snapshots and batches and the UNS feed's tree data alike, from one
 * pair of limits (config.ws, WS_MAX_BUFFERED_KB). Pure: the hub applies them with the connection's
 * `bufferedAmount` (bytes queued, not yet handed to the network).
 *
 * - Large frames (snapshots, batches, catch-ups, tree data) go only to a client with at most
 *   `maxBufferedBytes` unread; one may take it past that (a large plant's snapshot is megabytes).
 * - Small answers (pong, error) still go to a client that is behind, up to `hardBufferedBytes −
 *   maxBufferedBytes` bytes of them until it has read down below the soft limit; a client that keeps asking
 *   past that is closed.
 * - Not reading is no progress, not a byte count: behind at a check, and not one byte read since the
 *   previous check. A tablet draining a 12 MB snapshot over Wi-Fi reads all along and stays.
 *
 * So a client holds at most `hardBufferedBytes` plus one large frame of the server's memory.
 */

export interface UnreadLimits {
	/** More unread than this: nothing large is sent (the client gets the latest values later). */
	maxBufferedBytes: number;
	/** Ceiling for small answers to a client that is behind: `maxBufferedBytes` plus their budget. */
	hardBufferedBytes: number;
}

/** What the rules remember per client. */
export class UnreadState {
	/** Bytes handed to the connection so far: minus what is still unread, what the client has read. */
	sentBytes = 0;
	/** Bytes of small answers sent since the client was last seen below the soft limit. */
	answerBytesWhileBehind = 0;
	/** What the client had read at the last check at which it was behind; null when it was not behind. */
	readAtCheck: number | null = null;
}

/** True when a client with `unread` bytes queued may be sent nothing large now. */
export function isBehind(unread: number, limits: UnreadLimits): boolean {
	return unread > limits.maxBufferedBytes;
}

/**
 * May a small answer of `bytes` go to a client with `unread` bytes queued? Counts it when it may; false
 * means the client asks for more than it reads and is to be closed.
 */
export function admitAnswer(state: UnreadState, unread: number, bytes: number, limits: UnreadLimits): boolean {
	if (!isBehind(unread, limits)) {
		state.answerBytesWhileBehind = 0;
		return true;
	}
	const budget = Math.max(0, limits.hardBufferedBytes - limits.maxBufferedBytes);
	if (state.answerBytesWhileBehind + bytes > budget) return false;
	state.answerBytesWhileBehind += bytes;
	return true;
}

/**
 * The periodic check (the heartbeat): false when the client is behind and has read nothing since the
 * previous check, i.e. it does not read.
 */
export function isReading(state: UnreadState, unread: number, limits: UnreadLimits): boolean {
	if (!isBehind(unread, limits)) {
		state.readAtCheck = null;
		state.answerBytesWhileBehind = 0;
		return true;
	}
	const read = state.sentBytes - unread;
	const stalled = state.readAtCheck !== null && read <= state.readAtCheck;
	state.readAtCheck = read;
	return !stalled;
}
