/**
 * What the hub needs from a transport: a WebSocket (ws-server.ts) or a Server-Sent Events stream (sse.ts).
 * Keeping the hub behind this lets tests drive it with a fake connection and a fake clock.
 */
export interface Connection {
	/** Sends one text frame (bytes are UTF-8 text, encoded once for many clients). */
	send(text: string | Uint8Array): void;
	/** Bytes queued but not yet written to the network: back-pressure. */
	readonly bufferedAmount: number;
	/** Closes with a WebSocket close code and a short reason. */
	close(code: number, reason: string): void;
	/** Drops the connection without a closing handshake (a peer that stopped answering). */
	terminate(): void;
	/** Sends a ping the peer must answer with the same payload (WebSocket). Transports without pongs leave it out. */
	ping?(payload: Uint8Array): void;
	/** Keeps an idle connection open through proxies (SSE comment line). */
	keepAlive?(): void;
}
