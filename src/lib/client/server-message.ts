import type { ServerMessage } from '$lib/shared/protocol';

/** One frame from /ws as a server message, or null for anything that is not a JSON object with a `type`. */
export function parseServerMessage(data: string): ServerMessage | null {
	let msg: unknown;
	try {
		msg = JSON.parse(data);
	} catch {
		return null;
	}
	if (!msg || typeof msg !== 'object' || typeof (msg as { type?: unknown }).type !== 'string') return null;
	return msg as ServerMessage;
}
