import net from 'node:net';
import { Aedes, type Client } from 'aedes';
import { mayPublish, mayReceive, maySubscribe, type BrokerAccountSpec } from '../domain/plant/broker-acl';
import type { Logger } from '../log';
import type { BrokerAccounts } from './broker-accounts';

/** Raised when the embedded broker cannot listen; the message says what to do. */
export class BrokerStartError extends Error {
	override name = 'BrokerStartError';
}

/** What the broker refused, since it started: connections (bad or no credentials), publishes and subscriptions. */
export interface BrokerRefusals {
	connect: number;
	publish: number;
	subscribe: number;
}

/** Told of every refusal; `first` is true for the first of its kind, account and topic (worth a log line). */
export type BrokerRefusalListener = (refusal: { kind: keyof BrokerRefusals; username?: string; topic?: string; first: boolean }) => void;

export interface EmbeddedBroker {
	/** URL clients connect to, e.g. mqtt://127.0.0.1:1884. */
	url: string;
	port: number;
	/** Its accounts: every client signs in with one, and may publish and subscribe what the account's rules allow. */
	readonly accounts: BrokerAccounts;
	readonly refusals: BrokerRefusals;
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

interface Guard {
	accounts: BrokerAccounts;
	refusals: BrokerRefusals;
	onRefused?: BrokerRefusalListener;
	seen: Set<string>;
}

/**
 * Starts the embedded MQTT broker (aedes, MQTT 3.1.1) used when no MQTT_URL is configured. No client
 * gets in without an account, and each may publish and subscribe only what its account's rules allow.
 * @param port 0 picks a free port (tests)
 */
export async function startEmbeddedBroker(port: number, host: string, accounts: BrokerAccounts, onRefused?: BrokerRefusalListener): Promise<EmbeddedBroker> {
	const guard: Guard = { accounts, refusals: { connect: 0, publish: 0, subscribe: 0 }, onRefused, seen: new Set() };
	let current: Listening | undefined = await listen(port, host, guard);
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
		accounts,
		refusals: guard.refusals,
		get running() {
			return current !== undefined;
		},
		stop,
		async start() {
			if (!current) current = await listen(actualPort, host, guard);
		},
		close: stop
	};
}

async function listen(port: number, host: string, guard: Guard): Promise<Listening> {
	const aedes = await Aedes.createBroker();
	authorise(aedes, guard);
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

/** Logs the first refusal of each kind, account and topic; the rest are counted in `refusals`. */
export function logBrokerRefusals(log: Logger): BrokerRefusalListener {
	return ({ kind, username, topic, first }) => {
		if (first) log.warn({ kind, username: username ?? '(none)', topic }, 'embedded MQTT broker refused a client (further refusals like it are only counted)');
	};
}

/** The account each connected client signed in with, and whether any of its rules denies. */
const signedIn = new WeakMap<Client, { account: BrokerAccountSpec; denies: boolean }>();

function refuse(guard: Guard, kind: keyof BrokerRefusals, username?: string, topic?: string): void {
	guard.refusals[kind]++;
	const key = `${kind} ${username ?? ''} ${topic ?? ''}`;
	const first = !guard.seen.has(key);
	// Bounded: a client trying many topics is logged for its first thousand, counted for all.
	if (first && guard.seen.size < 1000) guard.seen.add(key);
	guard.onRefused?.({ kind, username, topic, first });
}

/** Authentication and the account's rules on every connect, publish, subscribe and delivery. */
function authorise(aedes: Aedes, guard: Guard): void {
	aedes.authenticate = (client, username, password, done) => {
		const account = guard.accounts.verify(username, password);
		if (!account) {
			refuse(guard, 'connect', username);
			// CONNACK 4 (bad user name or password) for a wrong password, 5 (not authorised) for none.
			return done(Object.assign(new Error('not authorised'), { returnCode: username === undefined ? 5 : 4 }), false);
		}
		signedIn.set(client, { account, denies: account.rules.some((r) => r.access === 'deny') });
		done(null, true);
	};
	aedes.authorizePublish = (client, packet, done) => {
		// A will left by a client the broker no longer knows: nobody to vouch for it.
		const who = client ? signedIn.get(client) : undefined;
		if (who && mayPublish(who.account.rules, packet.topic)) return done(null);
		refuse(guard, 'publish', who?.account.username, packet.topic);
		// MQTT 3.1.1 has no way to refuse a publish but closing the connection (aedes does so).
		done(new Error(`not allowed to publish on ${packet.topic}`));
	};
	aedes.authorizeSubscribe = (client, subscription, done) => {
		const who = signedIn.get(client);
		if (who && maySubscribe(who.account.rules, subscription.topic)) return done(null, subscription);
		refuse(guard, 'subscribe', who?.account.username, subscription.topic);
		// Refused in the SUBACK (0x80); the connection stays.
		done(null, null);
	};
	aedes.authorizeForward = (client, packet) => {
		const who = signedIn.get(client);
		if (!who) return null;
		// The subscription was checked against the read grants; only a deny can still hold a message back.
		return !who.denies || mayReceive(who.account.rules, packet.topic) ? packet : null;
	};
}
