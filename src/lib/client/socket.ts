/**
 * The small socket surface the live client needs. The browser's WebSocket is adapted to it by
 * `browserSocketFactory`; tests pass a fake.
 */

/** Called by the socket; the live client binds a fresh set to every connection it opens. */
export interface SocketHandlers {
	open(): void;
	message(data: string): void;
	close(code: number, reason: string): void;
	error(): void;
}

export interface SocketLike {
	send(data: string): void;
	close(code?: number, reason?: string): void;
}

/** Opens one connection and reports its events to `handlers`. */
export type SocketFactory = (handlers: SocketHandlers) => SocketLike;

/**
 * WebSockets to `path` on the page's own origin (ws: or wss: to match the page). The HttpOnly session
 * cookie goes with the upgrade request, so nothing secret is ever put in the URL.
 */
export function browserSocketFactory(path: string): SocketFactory {
	return (handlers) => {
		const url = new URL(path, window.location.href);
		url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
		const ws = new WebSocket(url);
		ws.onopen = () => handlers.open();
		ws.onmessage = (ev) => {
			if (typeof ev.data === 'string') handlers.message(ev.data);
		};
		ws.onclose = (ev) => handlers.close(ev.code, ev.reason);
		ws.onerror = () => handlers.error();
		return {
			send: (data) => {
				if (ws.readyState === WebSocket.OPEN) ws.send(data);
			},
			close: (code, reason) => ws.close(code, reason)
		};
	};
}

/** What the browser believes about the network, and its changes. */
export interface NetworkStatus {
	readonly online: boolean;
	/** Calls `onChange(online)` on every change; returns a function that stops listening. */
	watch(onChange: (online: boolean) => void): () => void;
}

/**
 * `navigator.onLine` with the window's `offline` / `online` events. `offline` is reliable (no network
 * interface), `online` only means "worth trying": the reconnect that follows proves it.
 */
export function browserNetwork(): NetworkStatus {
	return {
		get online() {
			return navigator.onLine;
		},
		watch(onChange) {
			const down = () => onChange(false);
			const up = () => onChange(true);
			window.addEventListener('offline', down);
			window.addEventListener('online', up);
			return () => {
				window.removeEventListener('offline', down);
				window.removeEventListener('online', up);
			};
		}
	};
}
