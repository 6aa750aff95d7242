import path from 'node:path';
import {
	AttributeIds,
	ClientMonitoredItemGroup,
	DataType,
	MessageSecurityMode,
	OPCUACertificateManager,
	OPCUAClient,
	SecurityPolicy,
	TimestampsToReturn,
	UserTokenType,
	type ClientSession,
	type ClientSubscription,
	type DataValue,
	type Variant
} from 'node-opcua';
import { Quality, type TagValue } from '$lib/shared/protocol';
import type { Clock } from '../clock';
import type { PlantTagRef } from '../domain/plant/view';
import { FUTURE_TIMESTAMP, isTooFarAhead } from '../domain/tags/source-time';
import type { TagStore } from '../domain/tags/tag-store';
import type { Logger } from '../log';
import { EndpointPins, trustOnFirstUse } from './opcua-trust';
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
	/** Longest wait between reconnect attempts, ms. */
	maxBackoffMs?: number;
	/** A source timestamp further ahead of our clock than this is malformed (`future-timestamp`), ms. */
	maxFutureMs: number;
	store: TagStore;
	status: SourceStatus;
	clock: Clock;
	log: Logger;
}

export interface OpcuaConnector {
	/**
	 * Writes a Double to the node of the plant tag at `nodePath` (a UNS path) on the live session.
	 * Rejects with an `OpcuaWriteError`: `not_connected`, `unknown_tag`, `refused` (the server's status) or `timeout`.
	 */
	write(nodePath: string, value: number, timeoutMs?: number): Promise<void>;
	stop(): Promise<void>;
}

export class OpcuaWriteError extends Error {
	constructor(
		readonly reason: 'not_connected' | 'unknown_tag' | 'refused' | 'timeout',
		message: string
	) {
		super(message);
		this.name = 'OpcuaWriteError';
	}
}

/** Longest an OPC UA write may take before it counts as failed, ms. */
export const OPCUA_WRITE_TIMEOUT_MS = 5000;

/** The live session of each client and its namespace index, for writes between monitoring rebuilds. */
const liveSessions = new WeakMap<OPCUAClient, { session: ClientSession; ns: number }>();

/**
 * Reads a line's tags from an OPC UA server: one session, one subscription, a monitored item per tag.
 *
 * Reconnection is ours, not node-opcua's: when the connection, the session keep-alive or the subscription
 * fails, everything is torn down and built again with backoff (0.5 s doubling to `maxBackoffMs`). A PLC that
 * restarted has lost our session and subscription anyway, and a fresh build also picks up a changed
 * address space. Initial values arrive with each new monitored item, so nothing is missed but the outage.
 */
export function startOpcuaConnector(opts: OpcuaConnectorOptions): OpcuaConnector {
	const { sourceId, status, log } = opts;
	const maxBackoffMs = opts.maxBackoffMs ?? 5000;
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

	const run = async () => {
		let attempt = 0;
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
				await monitorUntilBroken(client, opts, stopSignal, () => (attempt = 0));
			} catch (err) {
				const message = pinRefusal() ?? explainConnectError((err as Error).message.split('\n')[0], security, pkiFolder);
				if (status.get(sourceId)?.state === 'connected' || attempt === 0) log.warn({ source: sourceId, err: message }, 'opcua connection failed');
				status.setState(sourceId, 'disconnected', message);
			}
			status.setState(sourceId, stopped ? 'disconnected' : 'connecting');
			await client.disconnect().catch(() => {});
			if (stopped) break;
			const delay = Math.min(maxBackoffMs, 500 * 2 ** attempt++);
			await Promise.race([new Promise((r) => setTimeout(r, delay)), stopSignal]);
		}
	};
	const running = run();

	return {
		async write(nodePath, value, timeoutMs = OPCUA_WRITE_TIMEOUT_MS) {
			const tag = opts.tags.find((t) => t.path === nodePath);
			if (!tag?.nodeIdentifier) throw new OpcuaWriteError('unknown_tag', `${nodePath} is not a tag of ${sourceId}`);
			const live = client && liveSessions.get(client);
			if (!live) throw new OpcuaWriteError('not_connected', `${sourceId} is not connected`);
			let timer: NodeJS.Timeout | undefined;
			const timeout = new Promise<never>((_, reject) => {
				timer = setTimeout(() => reject(new OpcuaWriteError('timeout', `no answer from ${sourceId} within ${timeoutMs} ms`)), timeoutMs);
			});
			try {
				const statusCode = await Promise.race([
					live.session.write({
						nodeId: `ns=${live.ns};s=${tag.nodeIdentifier}`,
						attributeId: AttributeIds.Value,
						value: { value: { dataType: DataType.Double, value } }
					}),
					timeout
				]);
				if (!statusCode.isGood()) throw new OpcuaWriteError('refused', `${sourceId} refused the write: ${statusCode.name}`);
			} catch (err) {
				if (err instanceof OpcuaWriteError) throw err;
				throw new OpcuaWriteError('refused', `write to ${sourceId} failed: ${(err as Error).message.split('\n')[0]}`);
			} finally {
				clearTimeout(timer);
			}
		},
		async stop() {
			stopped = true;
			wakeStop();
			await running;
		}
	};
}

/** Connects, monitors every tag, and returns when anything breaks (or `stop` is signalled). */
async function monitorUntilBroken(
	client: OPCUAClient,
	opts: OpcuaConnectorOptions,
	stopSignal: Promise<void>,
	onConnected: () => void
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
	liveSessions.set(client, { session, ns });
	status.setState(sourceId, 'connected');
	onConnected();
	log.info({ source: sourceId, endpoint: opts.endpoint, items: tags.length }, 'opcua connected');

	const reason = await Promise.race([
		broken,
		new Promise<string>((resolve) => session.once('keepalive_failure', () => resolve('session keep-alive failed'))),
		new Promise<string>((resolve) => session.once('session_closed', () => resolve('session closed'))),
		new Promise<string>((resolve) => subscription.once('terminated', () => resolve('subscription terminated'))),
		stopSignal.then(() => 'stopping')
	]);
	if (reason !== 'stopping') log.warn({ source: sourceId, reason }, 'opcua connection broken');
	liveSessions.delete(client);
	status.setState(sourceId, 'disconnected', reason);
	await subscription.terminate().catch(() => {});
	await session.close().catch(() => {});
}

/** Turns an OPC UA Variant into a plain value for the tag store. */
export function variantToValue(variant: Variant): TagValue {
	const v: unknown = variant.value;
	switch (variant.dataType) {
		case DataType.Int64:
		case DataType.UInt64:
			// node-opcua gives 64-bit integers as [high, low] 32-bit words.
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
