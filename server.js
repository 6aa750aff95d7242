// Production server: SvelteKit's adapter-node handler plus the /ws live socket on one port.
// `npm run build` first; configuration comes from the environment (see README).
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { attachUpgradeHandler, shutdownRuntime } from './src/lib/server/process-registry.js';

// adapter-node takes the request's protocol from PROTOCOL_HEADER and otherwise assumes https, which makes
// SvelteKit's CSRF check refuse every form post over plain HTTP. Without a proxy we know the protocol from
// the socket itself, so we set our own header on every request (overwriting anything a client sent).
const OWN_PROTOCOL_HEADER = 'x-hmi-socket-protocol';
const setOwnProtocol = !process.env.ORIGIN && !process.env.PROTOCOL_HEADER;
if (setOwnProtocol) process.env.PROTOCOL_HEADER = OWN_PROTOCOL_HEADER;

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';

// HTTPS when a certificate is configured: then this port speaks TLS only (HTTPS and WSS), and the session
// cookie gets `Secure` because SvelteKit sees https requests. Read before the runtime starts, so a wrong
// path stops the process with a clear message instead of a half-started server.
const { TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile } = process.env;
if (!certFile !== !keyFile) {
	console.error('Set both TLS_CERT_FILE and TLS_KEY_FILE (HTTPS), or neither (HTTP).');
	process.exit(1);
}
let tls;
if (certFile && keyFile) {
	try {
		tls = { cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) };
	} catch (err) {
		console.error(`Cannot read the TLS certificate or key: ${err?.message ?? err}`);
		process.exit(1);
	}
}

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

/** @type {import('node:http').RequestListener} */
const onRequest = (req, res) => {
	if (setOwnProtocol) req.headers[OWN_PROTOCOL_HEADER] = /** @type {any} */ (req.socket).encrypted ? 'https' : 'http';
	handler(req, res);
};
const server = tls ? https.createServer(tls, onRequest) : http.createServer(onRequest);
attachUpgradeHandler(server, { exclusive: true });

server.on('error', (err) => {
	console.error(err.code === 'EADDRINUSE' ? `Port ${port} is already in use: set PORT to a free port.` : err.message);
	process.exit(1);
});

server.listen(port, host, () => {
	const address = server.address();
	const shown = host === '0.0.0.0' ? '127.0.0.1' : host;
	console.log(`HMI ready on ${tls ? 'https' : 'http'}://${shown}:${typeof address === 'object' && address ? address.port : port}`);
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
