import type { Connection } from './connection';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A Server-Sent Events stream as a hub connection: every hub frame becomes one `data:` event.
 * Back-pressure comes from the stream's queue (bytes not yet read by the HTTP response).
 * @param maxBufferedBytes the queue's high-water mark, the same limit the hub applies
 */
export function createSseStream(
	maxBufferedBytes: number,
	onOpen: (conn: Connection) => void,
	onClose: () => void
): ReadableStream<Uint8Array> {
	let controller: ReadableStreamDefaultController<Uint8Array>;
	let closed = false;
	const finish = () => {
		if (closed) return;
		closed = true;
		onClose();
	};
	const enqueue = (text: string) => {
		if (closed) return;
		try {
			controller.enqueue(encoder.encode(text));
		} catch {
			finish();
		}
	};
	const conn: Connection = {
		send: (text) => enqueue(`data: ${typeof text === 'string' ? text : decoder.decode(text)}\n\n`),
		get bufferedAmount() {
			return maxBufferedBytes - (controller.desiredSize ?? 0);
		},
		close: (code, reason) => {
			enqueue(`event: close\ndata: ${JSON.stringify({ code, reason })}\n\n`);
			try {
				controller.close();
			} catch {
				/* already closed by the reader */
			}
			finish();
		},
		terminate: () => {
			try {
				controller.error(new Error('terminated'));
			} catch {
				/* already closed */
			}
			finish();
		},
		keepAlive: () => enqueue(': keep-alive\n\n')
	};
	return new ReadableStream<Uint8Array>(
		{
			start(c) {
				controller = c;
				onOpen(conn);
			},
			cancel: finish
		},
		new ByteLengthQueuingStrategy({ highWaterMark: maxBufferedBytes })
	);
}
