import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { PlantView } from '$lib/shared/plant-view';
import { AuthService } from './auth/auth-service';
import { loadSessionKey } from './auth/secret';
import { sharedAddressWarning } from './auth/client-address';
import { systemClock, type Clock } from './clock';
import { readConfig, type Config } from './config';
import { BrokerAccounts } from './connectors/broker-accounts';
import { logBrokerRefusals, startEmbeddedBroker, type BrokerRefusals, type EmbeddedBroker } from './connectors/embedded-broker';
import { brokerAccounts, HMI_ACCOUNT } from './domain/plant/broker-acl';
import { startMqttConnector, type MqttConnector } from './connectors/mqtt';
import { startOpcuaConnector, type OpcuaConnector } from './connectors/opcua';
import { refusalReporter, SourceStatus, type SourceHealth } from './connectors/source-status';
import { parsePlantModel } from './domain/plant/load';
import { PlantOwnership } from './domain/plant/ownership';
import type { PlantModel } from './domain/plant/schema';
import { plantTags, sourceIdOf, toPlantView } from './domain/plant/view';
import { TagStore } from './domain/tags/tag-store';
import { UnsTree } from './domain/uns/uns-tree';
import { UnsIngest } from './domain/uns/ingest';
import { SparkplugHost } from './domain/sparkplug/host';
import { UnsService } from './uns/service';
import { Hub, type HubStats } from './hub/hub';
import { LiveSocketServer } from './hub/ws-server';
import { createLogger, type Logger } from './log';
import { AlarmService } from './engines/alarm-service';
import { AlarmJournal, AlarmStateStore } from './store/alarm-journal';
import { AuditLog } from './store/audit-log';
import { OeeService } from './engines/oee-service';
import { OeeStore } from './store/oee-store';
import { Historian } from './engines/historian';
import { HistoryStore } from './store/history-store';
import { SetpointService } from './engines/setpoint-service';
import { setpointWriter } from './engines/setpoint-writers';
import { UserAdminService } from './auth/user-admin-service';
import type { Db } from './store/db';
import { Storage, type StorageHealth } from './store/storage';
import { ClockWatch, type ClockHealth } from './engines/clock-watch';
import { RetentionService } from './engines/retention';
import { anonymousBootClock, systemBootClock, type BootClock } from './boot-clock';
import { ClockStore } from './store/clock-store';
import { SHUTDOWN_KEY, UPGRADE_HANDLER_KEY } from './process-registry.js';
import type { Services } from './services';
import { StopOrder } from './stop-order';

export interface HealthReport {
	status: 'ok' | 'degraded';
	uptimeS: number;
	tags: number;
	sources: Record<string, SourceHealth>;
	hub: HubStats;
	storage: StorageHealth;
	clock: ClockHealth;
	/** The embedded broker's refusals (no account, or outside the account's rules); absent with an external broker. */
	broker?: { refusals: BrokerRefusals };
}

export interface Runtime {
	readonly config: Config;
	readonly plant: PlantModel;
	readonly plantView: PlantView;
	readonly log: Logger;
	readonly clock: Clock;
	readonly db: Db;
	/** The database with its write gate and watchers (integrity, the file on disk). */
	readonly storage: Storage;
	readonly clockWatch: ClockWatch;
	readonly retention: RetentionService;
	readonly auth: AuthService;
	readonly store: TagStore;
	readonly tree: UnsTree;
	/** The UNS browser: its feed on /ws, its own MQTT client for browsing and publishing. */
	readonly uns: UnsService;
	readonly hub: Hub;
	readonly sources: SourceStatus;
	readonly alarms: AlarmService;
	readonly journal: AlarmJournal;
	/** Who changed what (setpoints, publishes, users); alarm actions are in `journal`. */
	readonly audit: AuditLog;
	readonly oee: OeeService;
	readonly historian: Historian;
	/** Operator writes to the plant model's setpoints, through the line's connector, audited. */
	readonly setpoints: SetpointService;
	/** User administration for admins, audited; ends the sessions of users it disables or changes. */
	readonly users: UserAdminService;
	/** What routes and hooks may use (narrow views of the services above). */
	readonly services: Services;
	/** URL of the MQTT broker in use (embedded or external). */
	readonly mqttUrl: string;
	/** The in-process broker when no MQTT_URL is configured (fault drills stop and start it). */
	readonly embeddedBroker?: EmbeddedBroker;
	/** Users that exist with password = name (demo mode only; otherwise empty). */
	readonly demoUsers: string[];
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
	/** The names of the parts in the order `stop` takes them down (see StopOrder). */
	readonly stopSequence: readonly string[];
	health(): HealthReport;
	stop(): Promise<void>;
}

export interface RuntimeDeps {
	clock?: Clock;
	log?: Logger;
	/** Runs on the database connection before anything else (tests: a disk that is full from the start). */
	prepareDatabase?: (db: Db) => void;
	/** The machine's time since boot (tests: a fake boot on the fake clock; with only a `clock`, no boot is compared). */
	boot?: BootClock;
}

/** How often MQTT tags are checked for silence, ms. */
const STALE_SWEEP_MS = 1000;

/**
 * Builds and starts everything: database, auth, tag store, hub, broker and connectors.
 * The one place that knows how the parts fit; `stop` takes them down in the reverse of the order they started.
 */
export async function startRuntime(config: Config, deps: RuntimeDeps = {}): Promise<Runtime> {
	const clock = deps.clock ?? systemClock;
	const log = deps.log ?? createLogger(config.logLevel);
	const startedAtMono = clock.monotonic();
	const plant = parsePlantModel(fs.readFileSync(config.plantModelPath, 'utf8'), config.plantModelPath);
	const plantView = toPlantView(plant);

	// A full or damaged disk never stops the start: the storage says what is wrong and the HMI serves what it can.
	const storage = new Storage({ dataDir: config.dataDir, clock, log, prepare: deps.prepareDatabase });
	const { db, guard } = storage;
	const auth = new AuthService(db, loadSessionKey(config.dataDir, config.session.secret), config.session.ttlMs, clock, log, config.login, guard);
	const addressWarning = sharedAddressWarning(config.addressHeader, config.allowedHosts);
	if (addressWarning) log.warn(addressWarning);
	const demoUsers = config.demo ? await auth.ensureDemoUsers().catch((err: unknown) => (log.error({ err }, 'demo users could not be written'), [])) : [];
	if (config.demo) {
		log.warn(
			{ users: demoUsers },
			'DEMO MODE: users operator, maintenance, manager and admin exist with password = user name. Never run demo mode on a plant network.'
		);
	}

	// Every write to the tag store passes the plant model's ownership (who may write which path) and the cap.
	const ownership = new PlantOwnership(plant);
	const store = new TagStore({ policy: ownership, maxTags: config.maxTags, onRefused: (update, reason) => reportRefusal(update, reason) });
	const tree = new UnsTree();
	// The UNS browser's Sparkplug B host: metrics become tree nodes (they do not feed the tag store).
	const sparkplugHost = new SparkplugHost();
	const unsIngest = new UnsIngest(tree, sparkplugHost, ownership);
	store.subscribe((tag) => unsIngest.tag(tag));
	const sources = new SourceStatus(store, clock);
	const reportRefusal = refusalReporter(sources, log);
	storage.publishTo(store);
	// Each part is named as it starts; `stop` takes them down in the reverse order (see StopOrder).
	const parts = new StopOrder(log);
	parts.started('storage', storage, (s) => s.stop());
	const clockWatch = parts.started(
		'clock watch',
		new ClockWatch({ store, clock, boot: deps.boot ?? (deps.clock ? anonymousBootClock(deps.clock) : systemBootClock), clocks: new ClockStore(db), guard, log }),
		(w) => w.stop(),
		{ first: true }
	);
	const hub = parts.started(
		'hub',
		new Hub(
			store,
			clock,
			log,
			{
				batchMs: config.ws.batchMs,
				maxBufferedBytes: config.ws.maxBufferedBytes,
				maxSubscriptions: config.ws.maxSubscriptions,
				heartbeatMs: config.ws.heartbeatMs,
				maxSocketsPerUser: config.ws.maxSocketsPerUser,
				maxStreamsPerUser: config.ws.maxStreamsPerUser
			},
			// A socket already signed in stays while the sessions cannot be read (the heartbeat must not throw).
			(user) => guard.read('session', () => auth.isSessionLive(user.sid, user.id), true)
		),
		(h) => h.stop()
	);
	parts.started('session listener', auth.onSessionEnded((sid) => hub.closeSession(sid)), (unlisten) => unlisten());
	const journal = new AlarmJournal(db, guard);
	const audit = new AuditLog(db, guard);
	// Before the connectors start, so the engine sees every value from the first one on.
	const alarms = parts.started('alarms', new AlarmService({ plant, store, journal, states: new AlarmStateStore(db, guard), clock, log }), (a) => a.stop(), { first: true });
	const oee = parts.started('oee', new OeeService({ plant, store, oeeStore: new OeeStore(db, guard), clock, log }), (o) => o.stop(), { first: true });
	const historian = parts.started('historian', new Historian(plant, store, new HistoryStore(db), guard, clock, log, { maxFutureMs: config.maxFutureMs }), (h) => h.stop(), { first: true });
	const retention = parts.started(
		'retention',
		new RetentionService({ plant, journal, history: historian, sessions: auth, clockWatch, aheadMs: config.maxFutureMs, guard, clock, log }),
		(r) => r.stop(),
		{ first: true }
	);
	const sockets = parts.started('websockets', new LiveSocketServer(hub, auth, config, log, config.ws.maxPayloadBytes), (s) => s.close());

	try {
		// The HMI's own MQTT clients sign in as configured (external broker) or with the embedded broker's HMI account.
		let login: { username?: string; password?: string } = { username: config.mqtt.username, password: config.mqtt.password };
		let broker: EmbeddedBroker | undefined;
		if (!config.mqtt.url) {
			const accounts = BrokerAccounts.load(config.dataDir, brokerAccounts(plant));
			broker = parts.started(
				'embedded broker',
				await startEmbeddedBroker(config.mqtt.embeddedPort, config.mqtt.embeddedHost, accounts, logBrokerRefusals(log)),
				(b) => b.close()
			);
			login = accounts.credentials(HMI_ACCOUNT);
			log.info({ url: broker.url, accounts: accounts.file }, 'embedded MQTT broker listening (every client signs in; accounts and passwords in the accounts file)');
		}
		const mqttUrl = config.mqtt.url ?? broker!.url;
		// What every plant connector writes to and answers to: the tag store (through its gate), the source states.
		const sourceDeps = { maxFutureMs: config.maxFutureMs, store, status: sources, clock, log };
		const mqtt: MqttConnector = parts.started(
			'mqtt connector',
			startMqttConnector({
				sourceId: 'mqtt',
				url: mqttUrl,
				...login,
				topics: [`${plant.enterprise}/#`],
				maxPayloadBytes: config.mqtt.maxPayloadBytes,
				...sourceDeps
			}),
			(c) => c.stop()
		);
		const uns = parts.started(
			'uns browser',
			new UnsService({
				tree,
				ingest: unsIngest,
				hub,
				mqtt: { url: mqttUrl, ...login, maxPayloadBytes: config.mqtt.maxPayloadBytes },
				browseTopics: config.uns.browseTopics,
				sparkplug: sparkplugHost,
				ownerOf: (path) => ownership.ownerOf(path),
				clock,
				log
			}),
			(u) => u.stop()
		);

		const tagRefs = plantTags(plant);
		const opcuaConnectors = new Map<string, OpcuaConnector>();
		// Stopped together: each may wait on a PLC that does not answer, and the waits should not add up.
		parts.started('opc ua connectors', opcuaConnectors, (all) => Promise.all([...all.values()].map((c) => c.stop())).then(() => {}));
		for (const line of plant.lines) {
			if (line.source.kind !== 'opcua') continue;
			const sourceId = sourceIdOf(line);
			const connector: OpcuaConnector = startOpcuaConnector({
				sourceId,
				endpoint: config.opcuaEndpointOverride ?? line.source.endpoint,
				namespaceUri: line.source.namespaceUri,
				tags: tagRefs.filter((t) => t.sourceId === sourceId),
				dataDir: config.dataDir,
				security: config.opcua,
				...sourceDeps
			});
			opcuaConnectors.set(sourceId, connector);
		}
		const setpoints = new SetpointService({
			plant,
			store,
			sources,
			audit,
			clock,
			log,
			write: setpointWriter(opcuaConnectors, () => mqtt.client, clock, config.setpoints.writeTimeoutMs)
		});

		const mqttOrigins = new Set(['mqtt']);
		parts.started(
			'stale sweep',
			clock.setInterval(() => store.sweepStale(mqttOrigins, clock.now(), plant.staleAfterS * 1000), STALE_SWEEP_MS),
			(sweep) => clock.clearInterval(sweep)
		);
		// Stops first of all: from then on no value changes, so the sources going away is not a plant event for the engines.
		parts.started('tag store intake', store, (s) => s.freeze(), { first: true });

		const users = new UserAdminService(db, auth, audit, clock, log);
		const health = (): HealthReport => {
			const all = sources.all();
			const storageHealth = storage.health();
			return {
				status: Object.values(all).every((s) => s.state === 'connected') && storageHealth.state === 'ok' ? 'ok' : 'degraded',
				uptimeS: Math.round((clock.monotonic() - startedAtMono) / 1000),
				tags: store.size,
				sources: all,
				hub: hub.stats(),
				storage: storageHealth,
				clock: clockWatch.health(),
				...(broker && { broker: { refusals: { ...broker.refusals } } })
			};
		};
		const services: Services = {
			plantView,
			demoUsers,
			sessions: auth,
			requestTrust: config,
			users,
			audit,
			alarms,
			journal,
			oee,
			history: historian,
			setpoints,
			tags: store,
			unsTree: tree,
			uns,
			streams: hub,
			health,
			clock,
			log
		};

		return {
			config,
			plant,
			plantView,
			log,
			clock,
			db,
			storage,
			clockWatch,
			retention,
			auth,
			store,
			tree,
			uns,
			hub,
			sources,
			alarms,
			journal,
			audit,
			oee,
			historian,
			setpoints,
			users,
			services,
			mqttUrl,
			embeddedBroker: broker,
			demoUsers,
			handleUpgrade: (req, socket, head) => sockets.handleUpgrade(req, socket, head),
			stopSequence: parts.stopSequence,
			health,
			stop: () => parts.stopAll()
		};
	} catch (err) {
		await parts.stopAll();
		throw err;
	}
}

// The process-wide runtime: SvelteKit routes, server.js and the Vite dev server all reach the same one.
const RUNTIME_KEY = Symbol.for('acme-hmi.runtime');
const registry = globalThis as unknown as Record<symbol, unknown>;

/**
 * Starts the process's runtime from the environment once (dev reloads reuse it) and registers its
 * /ws upgrade handler and its shutdown for server.js and the Vite plugin.
 */
export function ensureRuntime(): Promise<Runtime> {
	let pending = registry[RUNTIME_KEY] as Promise<Runtime> | undefined;
	if (!pending) {
		pending = startRuntime(readConfig()).then((runtime) => {
			registry[UPGRADE_HANDLER_KEY] = runtime.handleUpgrade;
			registry[SHUTDOWN_KEY] = async () => {
				delete registry[UPGRADE_HANDLER_KEY];
				delete registry[SHUTDOWN_KEY];
				delete registry[RUNTIME_KEY];
				await runtime.stop();
			};
			return runtime;
		});
		// A failed start is not cached: the next request (in dev, after a fix) tries again.
		pending.catch(() => delete registry[RUNTIME_KEY]);
		registry[RUNTIME_KEY] = pending;
	}
	return pending;
}

