import net from 'node:net';
import { Aedes } from 'aedes';

/** Raised when the embedded broker cannot listen; the message says what to do. */
export class BrokerStartError extends Error {
	override name = 'BrokerStartError';
}

export interface EmbeddedBroker {
	/** URL clients connect to, e.g. mqtt://127.0.0.1:1884. */
	url: string;
	port: number;
	/** True while the broker accepts connections. */
	readonly running: boolean;
	/**
	 * Takes the broker down as a crash would look to its clients: every connection is dropped and the
	 * port stops listening. `start()` brings it back on the same port (fault drills and tests).
	 */
	stop(): Promise<void>;
	/** Starts a fresh broker on the same port after `stop()`; nothing is retained across the restart. */
	start(): Promise<void>;
	close(): Promise<void>;
}

interface Listening {
	aedes: Aedes;
	server: net.Server;
	sockets: Set<net.Socket>;
}

/**
 * Starts the embedded MQTT broker (aedes, MQTT 3.1.1) used when no MQTT_URL is configured.
 * @param port 0 picks a free port (tests)
 */
export async function startEmbeddedBroker(port: number, host: string): Promise<EmbeddedBroker> {
	let current: Listening | undefined = await listen(port, host);
	const actualPort = (current.server.address() as net.AddressInfo).port;
	const stop = async () => {
		const was = current;
		current = undefined;
		if (!was) return;
		const closed = new Promise<void>((resolve) => was.server.close(() => resolve()));
		for (const socket of was.sockets) socket.destroy();
		await new Promise<void>((resolve) => was.aedes.close(() => resolve()));
		await closed;
	};
	return {
		url: `mqtt://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actualPort}`,
		port: actualPort,
		get running() {
			return current !== undefined;
		},
		stop,
		async start() {
			if (!current) current = await listen(actualPort, host);
		},
		close: stop
	};
}

async function listen(port: number, host: string): Promise<Listening> {
	const aedes = await Aedes.createBroker();
	const sockets = new Set<net.Socket>();
	const server = net.createServer((socket) => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
		// Small packets at a high rate: Nagle's algorithm would hold them back for the peer's delayed ACK.
		socket.setNoDelay(true);
		aedes.handle(socket);
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', (err: NodeJS.ErrnoException) => {
			aedes.close();
			reject(
				new BrokerStartError(
					err.code === 'EADDRINUSE'
						? `MQTT port ${port} on ${host} is already in use. Set MQTT_PORT to a free port, or set MQTT_URL to use the broker that is running there.`
						: `The embedded MQTT broker could not listen on ${host}:${port}: ${err.message}`
				)
			);
		});
		server.listen(port, host, () => resolve());
	});
	return { aedes, server, sockets };
}
