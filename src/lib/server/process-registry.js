// Plain JavaScript on purpose: server.js (production) and vite.config.ts (dev, preview) load it without a
// TypeScript step. The SvelteKit bundle and those servers share nothing but the process, so the running
// runtime (runtime.ts) registers its /ws upgrade handler and its shutdown here, on globalThis.

/** Where the runtime registers `(req, socket, head) => Promise<void>` for /ws upgrades. */
export const UPGRADE_HANDLER_KEY = Symbol.for('acme-hmi.upgrade-handler');
/** Where the runtime registers `() => Promise<void>` that stops it cleanly. */
export const SHUTDOWN_KEY = Symbol.for('acme-hmi.shutdown');

/** Path of the live WebSocket; every other upgrade (e.g. Vite's HMR socket) is left alone. */
const WS_PATH = '/ws';

/**
 * Routes HTTP upgrade requests for /ws to the hub of the running server.
 * @param {import('node:http').Server} httpServer
 * @param {{ exclusive?: boolean }} [options] exclusive: refuse every other upgrade path (production)
 */
export function attachUpgradeHandler(httpServer, options = {}) {
	httpServer.on('upgrade', (req, socket, head) => {
		const pathname = (req.url ?? '').split('?')[0];
		if (pathname !== WS_PATH) {
			if (options.exclusive) socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
			return;
		}
		const handler = /** @type {any} */ (globalThis)[UPGRADE_HANDLER_KEY];
		if (typeof handler !== 'function') {
			socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
			return;
		}
		handler(req, socket, head);
	});
}

/** Stops the runtime registered in this process, if any. */
export async function shutdownRuntime() {
	const shutdown = /** @type {any} */ (globalThis)[SHUTDOWN_KEY];
	if (typeof shutdown === 'function') await shutdown();
}
