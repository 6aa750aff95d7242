// Production server: SvelteKit's adapter-node handler plus the /ws live socket on one port.
// `npm run build` first; configuration comes from the environment (see README).
import http from 'node:http';
import { attachUpgradeHandler, shutdownRuntime } from './src/lib/server/process-registry.js';

// adapter-node takes the request's protocol from PROTOCOL_HEADER and otherwise assumes https, which makes
// SvelteKit's CSRF check refuse every form post over plain HTTP. Without a proxy we know the protocol from
// the socket itself, so we set our own header on every request (overwriting anything a client sent).
const OWN_PROTOCOL_HEADER = 'x-hmi-socket-protocol';
const setOwnProtocol = !process.env.ORIGIN && !process.env.PROTOCOL_HEADER;
if (setOwnProtocol) process.env.PROTOCOL_HEADER = OWN_PROTOCOL_HEADER;

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';

let handler;
try {
	// Importing the handler runs the `init` hook, which starts the runtime (broker, connectors, hub).
	({ handler } = await import('./build/handler.js'));
} catch (err) {
	if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('build/handler.js')) {
		console.error('No build found: run `npm run build` first.');
	} else {
		console.error(err?.message ?? err);
	}
	process.exit(1);
}

const server = http.createServer((req, res) => {
	if (setOwnProtocol) req.headers[OWN_PROTOCOL_HEADER] = /** @type {any} */ (req.socket).encrypted ? 'https' : 'http';
	handler(req, res);
});
attachUpgradeHandler(server, { exclusive: true });

server.on('error', (err) => {
	console.error(err.code === 'EADDRINUSE' ? `Port ${port} is already in use: set PORT to a free port.` : err.message);
	process.exit(1);
});

server.listen(port, host, () => {
	const address = server.address();
	const shown = host === '0.0.0.0' ? '127.0.0.1' : host;
	console.log(`HMI ready on http://${shown}:${typeof address === 'object' && address ? address.port : port}`);
});

let stopping = false;
async function stop(signal) {
	if (stopping) return;
	stopping = true;
	console.log(`${signal}: stopping`);
	const timer = setTimeout(() => process.exit(1), 10_000);
	timer.unref();
	server.close();
	server.closeAllConnections?.();
	await shutdownRuntime().catch((err) => console.error(err));
	process.exit(0);
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
