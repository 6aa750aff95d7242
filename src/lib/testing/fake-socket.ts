import { Quality, type ClientMessage, type ServerMessage } from '$lib/shared/protocol';
import type { SocketFactory, SocketHandlers } from '$lib/client/socket';

/** The live client's socket in unit tests: records what the client sends; the test plays the server. */
export class FakeSocket {
	sent: ClientMessage[] = [];
	closed: { code?: number; reason?: string } | null = null;
	constructor(readonly h: SocketHandlers) {}
	send(data: string) {
		this.sent.push(JSON.parse(data) as ClientMessage);
	}
	close(code?: number, reason?: string) {
		this.closed = { code, reason };
	}
	open() {
		this.h.open();
	}
	push(msg: ServerMessage) {
		this.h.message(JSON.stringify(msg));
	}
	drop(code = 1006, reason = '') {
		this.h.close(code, reason);
	}
	lastSub() {
		const subs = this.sent.filter((m) => m.type === 'sub');
		return subs[subs.length - 1] as Extract<ClientMessage, { type: 'sub' }>;
	}
	/** Answers the latest subscription with a snapshot of one good value of `path`. */
	snapshot(path: string, value: number, ts = 1000) {
		this.push({ type: 'snapshot', id: this.lastSub().id, seq: 1, defs: [[1, path]], u: [[1, value, Quality.Good, ts]] });
	}
}

/** A socket factory that keeps every socket it made. */
export function fakeSockets(): { connect: SocketFactory; sockets: FakeSocket[]; last: () => FakeSocket } {
	const sockets: FakeSocket[] = [];
	const connect: SocketFactory = (h) => {
		const s = new FakeSocket(h);
		sockets.push(s);
		return s;
	};
	return { connect, sockets, last: () => sockets[sockets.length - 1] };
}
