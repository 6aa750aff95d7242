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
	close(): Promise<void>;
}

/**
 * Starts the embedded MQTT broker (aedes, MQTT 3.1.1) used when no MQTT_URL is configured.
 * @param port 0 picks a free port (tests)
 */
export async function startEmbeddedBroker(port: number, host: string): Promise<EmbeddedBroker> {
	const aedes = await Aedes.createBroker();
	const server = net.createServer(aedes.handle);
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
	const actualPort = (server.address() as net.AddressInfo).port;
	return {
		url: `mqtt://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actualPort}`,
		port: actualPort,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				aedes.close();
			})
	};
}
