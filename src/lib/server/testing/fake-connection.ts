import type { ServerMessage } from '$lib/shared/protocol';
import type { Connection } from '../hub/connection';

/** A hub connection that records what was sent, with a settable back-pressure figure. */
export class FakeConnection implements Connection {
	readonly sent: ServerMessage[] = [];
	closed?: { code: number; reason: string };
	terminated = false;
	pings = 0;
	bufferedAmount = 0;

	send(text: string | Uint8Array): void {
		this.sent.push(JSON.parse(typeof text === 'string' ? text : Buffer.from(text).toString('utf8')) as ServerMessage);
	}
	close(code: number, reason: string): void {
		this.closed = { code, reason };
	}
	terminate(): void {
		this.terminated = true;
	}
	/** Payload of the last ping: what a live peer's pong carries back. */
	lastPing: Uint8Array | null = null;
	ping(payload: Uint8Array): void {
		this.pings++;
		this.lastPing = payload;
	}

	/** Messages of one type, in order. */
	of<T extends ServerMessage['type']>(type: T): Extract<ServerMessage, { type: T }>[] {
		return this.sent.filter((m) => m.type === type) as Extract<ServerMessage, { type: T }>[];
	}
}
