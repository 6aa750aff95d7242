import path from 'node:path';
import {
	AttributeIds,
	ClientMonitoredItemGroup,
	DataType,
	MessageSecurityMode,
	OPCUACertificateManager,
	OPCUAClient,
	resolveNodeId,
	SecurityPolicy,
	TimestampsToReturn,
	UserTokenType,
	type ClientSession,
	type ClientSubscription,
	type DataValue,
	type StatusCode,
	type Variant
} from 'node-opcua';
import { Backoff, backoffPolicy, type BackoffPolicy } from '$lib/shared/backoff';
import { Quality, type TagValue } from '$lib/shared/protocol';
import type { Clock } from '../clock';
import type { PlantTagRef } from '../domain/plant/view';
import { FUTURE_TIMESTAMP, isTooFarAhead } from '../domain/tags/source-time';
import type { TagStore } from '../domain/tags/tag-store';
import type { Logger } from '../log';
import { EndpointPins, trustOnFirstUse } from './opcua-trust';
import { opcuaWriteValue } from './opcua-write-value';
import type { SourceStatus } from './source-status';

export interface OpcuaConnectorOptions {
	sourceId: string;
	endpoint: string;
	namespaceUri: string;
	/** The plant model's tags of this line, each with its node identifier. */
	tags: PlantTagRef[];
	/** Where the client keeps its certificate store (never $HOME). */
	dataDir: string;
	/** Message security and user; default None and anonymous. The password is never logged. */
	security?: OpcuaSecurity;
	/** How often the server samples each node, ms. */
	samplingMs?: number;
	/** Changes to OPCUA_BACKOFF, the wait between reconnect attempts. */
	backoff?: Partial<BackoffPolicy>;
	/** Jitter source; tests pass a fixed one. */
	random?: () => number;
	/** A source timestamp further ahead of our clock than this is malformed (`future-timestamp`), ms. */
	maxFutureMs: number;
	store: TagStore;
	status: SourceStatus;
	clock: Clock;
	log: Logger;
}

export interface OpcuaConnector {
	/**
	 * Writes `value` to the node of the plant tag at `nodePath` (a UNS path) on the live session, as the node's own
	 * DataType (read from the server once per connection). Rejects with an `OpcuaWriteError`.
	 */
	write(nodePath: string, value: number, timeoutMs?: number): Promise<void>;
	stop(): Promise<void>;
}

/**
 * Why a write did not go through. Nothing was sent: `not_connected`, `unknown_tag`, `data_type` (the node's type
 * could not be read), `type_range` (the value does not fit it), `unsupported_type`. Sent: `refused` (the server
 * said no: nothing changed), `timeout` and `connection_lost` — the outcome is unknown; `readBack` then says what
 * the node holds once the connector could read it again.
 */
export class OpcuaWriteError extends Error {
	constructor(
		readonly reason: 'not_connected' | 'unknown_tag' | 'data_type' | 'type_range' | 'unsupported_type' | 'refused' | 'timeout' | 'connection_lost',
		message: string,
		readonly readBack?: Promise<OpcuaReadBack | undefined>
	) {
		super(message);
		this.name = 'OpcuaWriteError';
	}

	/** The request may have reached the server, and no answer says what it did. */
	get outcomeUnknown(): boolean {
		return this.reason === 'timeout' || this.reason === 'connection_lost';
	}
}

/** A node's value read after a write whose outcome is unknown, and when (epoch ms). */
export interface OpcuaReadBack {
	value: TagValue;
	ts: number;
}

/** Longest an OPC UA write may take before its outcome counts as unknown, ms (unless `write` is given another). */
export const OPCUA_WRITE_TIMEOUT_MS = 5000;

/** How long a write with an unknown outcome waits for the connection to be back to read its node, ms. */
export const OPCUA_READ_BACK_TIMEOUT_MS = 60_000;

/**
 * The shared reconnect policy with a shorter first step than the browser's: a PLC that dropped one session
 * (a keep-alive lost on a busy network) usually takes the next at once, and only one client retries.
 */
export const OPCUA_BACKOFF: BackoffPolicy = backoffPolicy({ initialMs: 500, maxMs: 5_000 });

/** The live connection of a client: its session, namespace index, node DataTypes learnt, and how to end it. */
interface LiveSession {
	session: ClientSession;
	ns: number;
	dataTypes: Map<string, DataType>;
	/** Closes the session and the secure channel now; the connector then connects again. */
	abort(reason: string): void;
}

/** The live session of each client, for writes between monitoring rebuilds. */
const liveSessions = new WeakMap<OPCUAClient, LiveSession>();

/**
 * Reads a line's tags from an OPC UA server: one session, one subscription, a monitored item per tag.
 *
 * Reconnection is ours, not node-opcua's: when the connection, the session keep-alive or the subscription
 * fails, everything is torn down and built again with backoff (OPCUA_BACKOFF: 0.5 s doubling to 5 s). A PLC that
 * restarted has lost our session and subscription anyway, and a fresh build also picks up a changed
 * address space. Initial values arrive with each new monitored item, so nothing is missed but the outage.
 */
export function startOpcuaConnector(opts: OpcuaConnectorOptions): OpcuaConnector {
	const { sourceId, status, clock, log } = opts;
	const backoff = new Backoff(backoffPolicy(opts.backoff, OPCUA_BACKOFF), opts.random);
	const security: OpcuaSecurity = opts.security ?? { securityMode: 'None', securityPolicy: 'None' };
	status.register(sourceId, { endpoint: opts.endpoint, tags: opts.tags.length, securityMode: security.securityMode, user: security.username ?? 'anonymous' });
	const pkiFolder = opcuaClientPkiFolder(opts.dataDir);
	const secure = security.securityMode !== 'None';
	const certificateManager = new OPCUACertificateManager({
		rootFolder: pkiFolder,
		// Without message security the server's certificate protects nothing, so there is nothing to check.
		// With it, only a certificate in `trusted/certs` (or pinned on first use) may answer: anything else
		// could be a man in the middle collecting the user name and password.
		automaticallyAcceptUnknownCertificate: !secure
	});
	const pinRefusal =
		secure && security.trustOnFirstUse
			? trustOnFirstUse(certificateManager, { endpoint: opts.endpoint, pins: new EndpointPins(path.join(pkiFolder, 'pinned-servers.json')), log, sourceId })
			: () => undefined;
	let stopped = false;
	let wakeStop: () => void = () => {};
	const stopSignal = new Promise<void>((resolve) => (wakeStop = resolve));
	let client: OPCUAClient | undefined;
	const readBacks = new PendingReadBacks();
	const readBackLater = (nodePath: string) => readBacks.add(nodePath, OPCUA_READ_BACK_TIMEOUT_MS);

	const run = async () => {
		while (!stopped) {
			client = OPCUAClient.create({
				applicationName: 'acme-hmi',
				endpointMustExist: false,
				keepSessionAlive: true,
				securityMode: MessageSecurityMode[security.securityMode],
				securityPolicy: SecurityPolicy[security.securityPolicy],
				requestedSessionTimeout: 60_000,
				// One try per build: the loop below owns the retrying.
				connectionStrategy: { maxRetry: 0, initialDelay: 200, maxDelay: 500 },
				clientCertificateManager: certificateManager
			});
			try {
				await monitorUntilBroken(client, opts, stopSignal, () => backoff.connected(clock.monotonic()), readBacks);
			} catch (err) {
				const message = pinRefusal() ?? explainConnectError((err as Error).message.split('\n')[0], security, pkiFolder);
				if (status.get(sourceId)?.state === 'connected' || backoff.attempt === 0) log.warn({ source: sourceId, err: message }, 'opcua connection failed');
				status.setState(sourceId, 'disconnected', message);
			}
			status.setState(sourceId, stopped ? 'disconnected' : 'connecting');
			await client.disconnect().catch(() => {});
			if (stopped) break;
			let timer: unknown;
			await Promise.race([new Promise<void>((r) => (timer = clock.setTimeout(r, backoff.nextDelay(clock.monotonic())))), stopSignal]);
			clock.clearTimeout(timer);
		}
	};
	const running = run();

	return {
		async write(nodePath, value, timeoutMs = OPCUA_WRITE_TIMEOUT_MS) {
			const tag = opts.tags.find((t) => t.path === nodePath);
			if (!tag?.nodeIdentifier) throw new OpcuaWriteError('unknown_tag', `${nodePath} is not a tag of ${sourceId}`);
			const live = client && liveSessions.get(client);
			if (!live) throw new OpcuaWriteError('not_connected', `${sourceId} is not connected`);
			const nodeId = `ns=${live.ns};s=${tag.nodeIdentifier}`;
			const dataType = await dataTypeOf(live, nodeId, timeoutMs).catch((err: Error) => {
				throw new OpcuaWriteError('data_type', `the data type of ${nodeId} on ${sourceId} could not be read: ${err.message.split('\n')[0]}`);
			});
			const encoded = opcuaWriteValue(dataType, value);
			if (!encoded.ok) throw new OpcuaWriteError(encoded.reason, encoded.message);
			if (!client || liveSessions.get(client) !== live) throw new OpcuaWriteError('not_connected', `${sourceId} is not connected`);

			let timer: NodeJS.Timeout | undefined;
			const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
			let answer: StatusCode | 'timeout';
			try {
				answer = await Promise.race([live.session.write({ nodeId, attributeId: AttributeIds.Value, value: { value: encoded.variant } }), timeout]);
			} catch (err) {
				// Sent, or maybe sent: the connection broke before the answer.
				const message = `the connection to ${sourceId} broke during the write: ${(err as Error).message.split('\n')[0]}`;
				live.abort(message);
				throw new OpcuaWriteError('connection_lost', message, readBackLater(nodePath));
			} finally {
				clearTimeout(timer);
			}
			if (answer === 'timeout') {
				// The request may still be queued in the server (or in this client). Closing the session and the secure
				// channel it went on keeps it from being answered or applied there later, as far as the server allows;
				// the node is read back once connected again, so the audit says what it holds.
				const message = `no answer from ${sourceId} within ${timeoutMs} ms`;
				live.abort(`${message} to a write: session closed so it cannot land later`);
				throw new OpcuaWriteError('timeout', message, readBackLater(nodePath));
			}
			if (!answer.isGood()) throw new OpcuaWriteError('refused', `${sourceId} refused the write: ${answer.name}`);
		},
		async stop() {
			stopped = true;
			wakeStop();
			await running;
			readBacks.giveUp();
		}
	};
}

/** Connects, monitors every tag, and returns when anything breaks (or `stop` is signalled). */
async function monitorUntilBroken(
	client: OPCUAClient,
	opts: OpcuaConnectorOptions,
	stopSignal: Promise<void>,
	onConnected: () => void,
	readBacks: PendingReadBacks
): Promise<void> {
	const { sourceId, store, status, clock, log, tags } = opts;
	await client.connect(opts.endpoint);
	const broken = new Promise<string>((resolve) => {
		client.once('connection_lost', () => resolve('connection lost'));
		client.once('close', () => resolve('connection closed'));
	});
	const { username, password } = opts.security ?? {};
	const session: ClientSession = await client.createSession(
		username === undefined ? undefined : { type: UserTokenType.UserName, userName: username, password: password ?? '' }
	);
	const namespaces = await session.readNamespaceArray();
	const ns = namespaces.indexOf(opts.namespaceUri);
	if (ns < 0) throw new Error(`namespace ${opts.namespaceUri} is not on the server (it has: ${namespaces.join(', ')})`);
	const subscription: ClientSubscription = await session.createSubscription2({
		requestedPublishingInterval: 100,
		requestedLifetimeCount: 600,
		requestedMaxKeepAliveCount: 20,
		maxNotificationsPerPublish: 0,
		publishingEnabled: true,
		priority: 10
	});
	const group = ClientMonitoredItemGroup.create(
		subscription,
		tags.map((t) => ({ nodeId: `ns=${ns};s=${t.nodeIdentifier}`, attributeId: AttributeIds.Value })),
		{ samplingInterval: opts.samplingMs ?? 100, discardOldest: true, queueSize: 1 },
		TimestampsToReturn.Both
	);
	group.on('changed', (_item, dataValue: DataValue, index: number) => {
		const tag = tags[index];
		if (!tag) return;
		const now = clock.now();
		status.countMessage(sourceId);
		const sourceTs = dataValue.sourceTimestamp?.getTime() ?? dataValue.serverTimestamp?.getTime() ?? now;
		if (isTooFarAhead(sourceTs, now, opts.maxFutureMs)) {
			status.countMalformed(sourceId, FUTURE_TIMESTAMP);
			store.setQuality(tag.path, Quality.Bad, sourceId, now);
		} else if (dataValue.statusCode.isGood()) {
			store.apply({ path: tag.path, value: variantToValue(dataValue.value), quality: Quality.Good, sourceTs, serverTs: now, origin: sourceId });
		} else {
			status.countMalformed(sourceId, dataValue.statusCode.name);
			store.setQuality(tag.path, dataValue.statusCode.isGoodish() ? Quality.Stale : Quality.Bad, sourceId, now);
		}
	});
	group.on('err', (message: string) => log.warn({ source: sourceId, err: message }, 'opcua monitored items'));
	// Writes whose outcome was unknown when the last connection ended: what do their nodes hold now?
	await readBacks.readOn(session, ns, tags, clock);
	let aborted: (reason: string) => void = () => {};
	let wasAborted = false;
	const abortSignal = new Promise<string>((resolve) => (aborted = resolve));
	const live: LiveSession = {
		session,
		ns,
		dataTypes: new Map(),
		abort(reason) {
			if (liveSessions.get(client) !== live) return;
			// At once, before the teardown: no further write may go out on this session.
			liveSessions.delete(client);
			status.setState(sourceId, 'disconnected', reason);
			wasAborted = true;
			aborted(reason);
		}
	};
	liveSessions.set(client, live);
	status.setState(sourceId, 'connected');
	onConnected();
	log.info({ source: sourceId, endpoint: opts.endpoint, items: tags.length }, 'opcua connected');

	const reason = await Promise.race([
		broken,
		new Promise<string>((resolve) => session.once('keepalive_failure', () => resolve('session keep-alive failed'))),
		new Promise<string>((resolve) => session.once('session_closed', () => resolve('session closed'))),
		new Promise<string>((resolve) => subscription.once('terminated', () => resolve('subscription terminated'))),
		stopSignal.then(() => 'stopping'),
		abortSignal
	]);
	if (reason !== 'stopping') log.warn({ source: sourceId, reason }, 'opcua connection broken');
	liveSessions.delete(client);
	status.setState(sourceId, 'disconnected', reason);
	if (wasAborted) {
		// The secure channel may still carry the request that timed out: drop it now (the socket closes), not
		// after a graceful close that would wait on the same stalled channel.
		await client.disconnect().catch(() => {});
		return;
	}
	await subscription.terminate().catch(() => {});
	await session.close().catch(() => {});
}

/** The built-in DataType of a node, read from the server once per connection (a PLC download may change it). */
async function dataTypeOf(live: LiveSession, nodeId: string, timeoutMs: number): Promise<DataType> {
	const known = live.dataTypes.get(nodeId);
	if (known !== undefined) return known;
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)));
	try {
		const dataType = await Promise.race([live.session.getBuiltInDataType(resolveNodeId(nodeId)), timeout]);
		live.dataTypes.set(nodeId, dataType);
		return dataType;
	} finally {
		clearTimeout(timer);
	}
}

/**
 * Writes whose outcome is unknown, waiting to read their node once the connector is connected again. Each
 * gets what the node held then, or undefined when it could not be read or the connection stayed away too long.
 */
class PendingReadBacks {
	readonly #waiting = new Map<string, ((result: OpcuaReadBack | undefined) => void)[]>();

	add(nodePath: string, timeoutMs: number): Promise<OpcuaReadBack | undefined> {
		return new Promise((resolve) => {
			const timer = setTimeout(() => this.#remove(nodePath, done), timeoutMs).unref();
			const done = (result: OpcuaReadBack | undefined) => {
				clearTimeout(timer);
				resolve(result);
			};
			this.#waiting.set(nodePath, [...(this.#waiting.get(nodePath) ?? []), done]);
		});
	}

	/** Reads every waiting node on a new session, before it serves writes. */
	async readOn(session: ClientSession, ns: number, tags: PlantTagRef[], clock: Clock): Promise<void> {
		for (const [nodePath, waiting] of [...this.#waiting]) {
			this.#waiting.delete(nodePath);
			const tag = tags.find((t) => t.path === nodePath);
			const dataValue = await session.read({ nodeId: `ns=${ns};s=${tag?.nodeIdentifier}`, attributeId: AttributeIds.Value }).catch(() => undefined);
			const result = dataValue?.statusCode.isGood() ? { value: variantToValue(dataValue.value), ts: clock.now() } : undefined;
			for (const done of waiting) done(result);
		}
	}

	/** The connector stops: nothing more will be read. */
	giveUp(): void {
		for (const waiting of this.#waiting.values()) for (const done of waiting) done(undefined);
		this.#waiting.clear();
	}

	#remove(nodePath: string, done: (result: undefined) => void): void {
		const rest = (this.#waiting.get(nodePath) ?? []).filter((d) => d !== done);
		if (rest.length) this.#waiting.set(nodePath, rest);
		else this.#waiting.delete(nodePath);
		done(undefined);
	}
}

/** Turns an OPC UA Variant into a plain value for the tag store. */
export function variantToValue(variant: Variant): TagValue {
	const v: unknown = variant.value;
	switch (variant.dataType) {
		case DataType.Int64:
			// node-opcua gives 64-bit integers as [high, low] 32-bit words; Int64 in two's complement.
			return Array.isArray(v) && v.length === 2 ? Number(BigInt.asIntN(64, (BigInt(v[0] as number) << 32n) | BigInt(v[1] as number))) : Number(v);
		case DataType.UInt64:
			return Array.isArray(v) && v.length === 2 ? (v[0] as number) * 2 ** 32 + (v[1] as number) : Number(v);
		case DataType.DateTime:
			return v instanceof Date ? v.getTime() : null;
		case DataType.LocalizedText:
			return (v as { text?: string } | null)?.text ?? null;
		case DataType.Null:
			return null;
	}
	if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v === null) return v;
	if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
	if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
	return String(v);
}

/** OPC UA message security and session user of a connector (the shape of `Config['opcua']`). */
export interface OpcuaSecurity {
	securityMode: 'None' | 'Sign' | 'SignAndEncrypt';
	securityPolicy: 'None' | 'Basic256Sha256' | 'Aes128_Sha256_RsaOaep' | 'Aes256_Sha256_RsaPss';
	username?: string;
	password?: string;
	/** Secure modes: trust the first server certificate per endpoint and pin it (OPCUA_TRUST_ON_FIRST_USE). */
	trustOnFirstUse?: boolean;
}

/** The client's certificate store: `trusted/certs` holds the server certificates it accepts, `rejected` the refused ones. */
export function opcuaClientPkiFolder(dataDir: string): string {
	return path.join(dataDir, 'pki', 'opcua-client');
}

/** Says in plain words what the usual security refusals mean; other errors pass through. */
export function explainConnectError(message: string, security: OpcuaSecurity, pkiFolder = 'DATA_DIR/pki/opcua-client'): string {
	if (/server certificate verification failed/i.test(message))
		return `the OPC UA server's certificate is not trusted: copy it from ${path.join(pkiFolder, 'rejected')} into ${path.join(pkiFolder, 'trusted', 'certs')}, or set OPCUA_TRUST_ON_FIRST_USE=1 (${message})`;
	if (/BadUserAccessDenied|BadIdentityTokenInvalid|BadIdentityTokenRejected/.test(message))
		return `the OPC UA server refused user ${security.username ?? '(anonymous)'}: wrong user name or password (${message})`;
	if (/BadSecurityPolicyRejected|BadSecurityModeRejected|security mode|securityMode|SecurityPolicy/i.test(message))
		return `the OPC UA server does not accept security ${security.securityMode}/${security.securityPolicy} (${message})`;
	if (/BadCertificate|certificate/i.test(message)) return `the OPC UA server did not accept our certificate, or we not its (${message})`;
	return message;
}
