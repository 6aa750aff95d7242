import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AuthService, SessionUser } from '../auth/auth-service';
import type { RequestTrust } from '../auth/request-trust';
import type { Logger } from '../log';
import type { Connection } from './connection';
import type { Hub } from './hub';
import { decideUpgrade } from './upgrade';
import { CloseCode, type ErrorCode } from '$lib/shared/protocol';

/**
 * The WebSocket edge of the hub: checks Host, Origin, session and the user's socket count before upgrading,
 * then wires a `ws` socket to the hub. Oversize frames are refused by `ws` itself (maxPayload → close 1009);
 * pings from the client are answered by `ws`, which terminates a client with more than 60 unanswered
 * (maxPendingAutoPongs), so they cannot pile up either.
 */
export class LiveSocketServer {
	readonly #wss: WebSocketServer;
	readonly #sockets = new Set<WebSocket>();

	constructor(
		private readonly hub: Hub,
		private readonly auth: Pick<AuthService, 'verify'>,
		private readonly trust: RequestTrust,
		private readonly log: Logger,
		maxPayloadBytes: number
	) {
		this.#wss = new WebSocketServer({ noServer: true, maxPayload: maxPayloadBytes, perMessageDeflate: false, clientTracking: false });
	}

	/** Handles an HTTP upgrade request for the live socket. Never throws. */
	async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
		socket.on('error', (err) => this.log.debug({ err: err.message }, 'upgrade socket error'));
		try {
			const decision = await decideUpgrade(req.headers, this.trust, (t) => this.auth.verify(t));
			if (!decision.ok) {
				const sameHost = req.headers.origin?.replace(/^https?:\/\//, '') === req.headers.host;
				this.log.info(
					{ status: decision.status, host: req.headers.host, origin: req.headers.origin, reason: decision.message },
					decision.status === 403 && sameHost
						? 'websocket upgrade refused: this origin serves the app but is not allowed; add it to ORIGIN or ALLOWED_ORIGINS'
						: 'websocket upgrade refused'
				);
				refuseUpgrade(socket, decision.status, decision.message, decision.code);
				return;
			}
			if (socket.destroyed) return;
			// Counted before the socket exists, so parallel upgrades cannot slip past the limit; given back when
			// the TCP connection ends, whatever ends it.
			const release = this.hub.reserveConnection(decision.user, 'socket');
			if (!release) {
				refuseUpgrade(socket, 429, `at most ${this.hub.limits.maxSocketsPerUser} live sockets per user`, 'HMI_ERR_TOO_MANY_CONNECTIONS');
				return;
			}
			socket.once('close', release);
			this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws, decision.user));
		} catch (err) {
			this.log.error({ err }, 'websocket upgrade failed');
			refuseUpgrade(socket, 500, 'internal error');
		}
	}

	/** Closes every socket (server stopping). */
	close(): void {
		for (const ws of this.#sockets) ws.terminate();
		this.#wss.close();
	}

	#accept(ws: WebSocket, user: SessionUser): void {
		this.#sockets.add(ws);
		const conn: Connection = {
			// Bytes are UTF-8 JSON too: always a text frame.
			send: (text) => ws.send(text, { binary: false }),
			get bufferedAmount() {
				return ws.bufferedAmount;
			},
			close: (code, reason) => ws.close(code, reason),
			terminate: () => ws.terminate(),
			ping: (payload) => ws.ping(payload)
		};
		const session = this.hub.connect(conn, user);
		ws.on('message', (data, isBinary) => {
			// The hub never throws on input by design; this guard keeps one client's frame from ever ending the
			// process if that promise is broken, and closes that client instead.
			try {
				this.hub.receive(session, isBinary ? '' : data.toString(), isBinary);
			} catch (err) {
				this.log.error({ client: session.id, err }, 'hub failed on a client message: closing that client');
				ws.close(CloseCode.InternalError, 'internal error');
			}
		});
		ws.on('pong', (payload) => this.hub.pong(session, payload));
		ws.on('error', (err) => this.log.debug({ client: session.id, err: err.message }, 'websocket error'));
		ws.on('close', () => {
			this.#sockets.delete(ws);
			this.hub.disconnect(session);
		});
	}
}

const STATUS_TEXT: Record<number, string> = {
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	421: 'Misdirected Request',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	503: 'Service Unavailable'
};

/** Answers an upgrade request with a plain HTTP error and closes the socket: no WebSocket is created. */
export function refuseUpgrade(socket: Duplex, status: number, message: string, code?: ErrorCode): void {
	if (socket.destroyed) return;
	const body = JSON.stringify(code ? { error: message, code } : { error: message });
	socket.end(
		`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
	);
}
