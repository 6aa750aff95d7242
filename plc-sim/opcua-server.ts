/**
 * Line 1 over OPC UA: a browsable address space Objects/acme/utrecht/packaging/line1/<machine>/<tag>
 * (and …/line1/order/<tag> for the work order) in namespace `urn:acme:plc-sim`, variable NodeIds
 * equal to the UNS path, fault-injection methods on every machine object and `CompleteOrder` on the
 * order object. Source timestamps are plant time.
 */
import path from 'node:path';
import {
	DataType,
	MessageSecurityMode,
	OPCUACertificateManager,
	OPCUAServer,
	SecurityPolicy,
	StatusCodes,
	Variant,
	type ISessionContext,
	type Namespace,
	type UAObject,
	type UAVariable
} from 'node-opcua';
import {
	METHODS,
	ORDER_METHODS,
	parseMethodCall,
	parseOrderMethodCall,
	type MethodName,
	type OrderMethodName,
	type ParsedCommand
} from './commands.js';
import { SimError, type SimProblem } from './errors.js';
import {
	AREA,
	ENTERPRISE,
	MACHINE_IDS,
	ORDER,
	ORDER_TAGS,
	SITE,
	machinePath,
	machineTags,
	orderPath,
	type LineId,
	type MachineId,
	type TagDef
} from './model/plant.js';
import type { Command, OrderCommand, Sample } from './model/simulation.js';
import { SETPOINTS } from './model/setpoints.js';
import { addSetpointVariable } from './opcua-setpoints.js';

export const NAMESPACE_URI = 'urn:acme:plc-sim';
export const RESOURCE_PATH = '/UA/plc-sim';
/** Fastest sampling a client may ask for, ms (node-opcua would otherwise throttle to 1 Hz). */
export const MINIMUM_SAMPLING_INTERVAL_MS = 50;
/** Simultaneous client connections. */
export const MAX_CONNECTIONS = 20;

export interface OpcuaServerOptions {
	port: number;
	/** Address to listen on. */
	host: string;
	/** PKI folders go to `<dataDir>/plc-sim-pki`. */
	dataDir: string;
	line: LineId;
	log: (line: string) => void;
	/** Applies a command; returns why it was refused, or null. */
	onCommand: (machine: MachineId, command: Command) => SimProblem | null;
	/** Applies a command for the line's work order; returns why it was refused, or null. */
	onOrderCommand: (command: OrderCommand) => SimProblem | null;
	/** Applies a setpoint written by a client; returns why it was refused, or null. Without it setpoints are read-only. */
	onSetpoint?: (machine: MachineId, id: string, value: number) => SimProblem | null;
	/** Secure mode (see `secureModeFromEnv`); default: from the environment. */
	secure?: SecureMode | null;
}

/** Secure mode: Sign and SignAndEncrypt endpoints only, and this user name and password required. */
export interface SecureMode {
	username: string;
	password: string;
}

/** Demo credentials of secure mode when PLC_SIM_OPCUA_USERNAME / PLC_SIM_OPCUA_PASSWORD are not set. */
export const DEMO_SECURE_USER: SecureMode = { username: 'hmi', password: 'plc-sim-demo' };

/**
 * `PLC_SIM_SECURE=1` turns secure mode on (to test an HMI's OPC UA security against the simulator), with
 * `PLC_SIM_OPCUA_USERNAME` / `PLC_SIM_OPCUA_PASSWORD` or the demo credentials. Unset: null.
 */
export function secureModeFromEnv(env: Record<string, string | undefined>): SecureMode | null {
	if (!['1', 'true', 'yes'].includes(env.PLC_SIM_SECURE ?? '')) return null;
	return { username: env.PLC_SIM_OPCUA_USERNAME || DEMO_SECURE_USER.username, password: env.PLC_SIM_OPCUA_PASSWORD || DEMO_SECURE_USER.password };
}

export interface OpcuaOutput {
	endpoint: string;
	namespaceIndex: number;
	/** Writes changed values into the address space. */
	update(samples: readonly Sample[], plantTimeMs: number): void;
	stop(): Promise<void>;
}

export const DATA_TYPES = { String: DataType.String, UInt32: DataType.UInt32, Double: DataType.Double } as const;

/** Variables by UNS path, with the value last written. */
export type Variables = Map<string, { variable: UAVariable; dataType: DataType; value: number | string | undefined }>;

/** Status code of a refused method call. */
function refusedStatus(problem: SimProblem) {
	return problem.code === 'SIM_ERR_NO_RUNNING_ORDER' ? StatusCodes.BadInvalidState : StatusCodes.BadInvalidArgument;
}

/** Starts the server; rejects with `SIM_ERR_PORT_IN_USE` or `SIM_ERR_OPCUA_START`. */
export async function startOpcuaServer(options: OpcuaServerOptions): Promise<OpcuaOutput> {
	const { port, host, line, log } = options;
	const secure = options.secure === undefined ? secureModeFromEnv(process.env) : options.secure;
	const pki = path.resolve(options.dataDir, 'plc-sim-pki');
	const manager = (folder: string) =>
		new OPCUACertificateManager({
			rootFolder: path.join(pki, folder),
			// A simulator on a developer machine, secure mode included: any client certificate is trusted
			// automatically. That is demo-only; a real server keeps unknown certificates in `rejected/` until
			// someone trusts them.
			automaticallyAcceptUnknownCertificate: true,
			disableFileWatchers: true
		});
	const wildcard = host === '0.0.0.0' || host === '::';
	const server = new OPCUAServer({
		port,
		host,
		...(wildcard ? {} : { hostname: host }),
		resourcePath: RESOURCE_PATH,
		serverCertificateManager: manager('server'),
		userCertificateManager: manager('user'),
		...(secure
			? {
					allowAnonymous: false,
					securityPolicies: [SecurityPolicy.Basic256Sha256, SecurityPolicy.Aes128_Sha256_RsaOaep, SecurityPolicy.Aes256_Sha256_RsaPss],
					securityModes: [MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt],
					userManager: { isValidUser: (user: string, password: string) => user === secure.username && password === secure.password }
				}
			: {
					allowAnonymous: true,
					securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
					securityModes: [MessageSecurityMode.None, MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt]
				}),
		maxConnectionsPerEndpoint: MAX_CONNECTIONS,
		buildInfo: {
			productName: 'acme plc-sim',
			productUri: NAMESPACE_URI,
			manufacturerName: 'acme',
			softwareVersion: '0.1.0'
		}
	});

	let variables: Variables;
	let namespaceIndex: number;
	try {
		await server.initialize();
		({ variables, namespaceIndex } = buildAddressSpace(server, options));
		await server.start();
	} catch (err) {
		await server.shutdown(0).catch(() => undefined);
		const code = (err as NodeJS.ErrnoException).code;
		if (code === 'EADDRINUSE') {
			throw new SimError('SIM_ERR_PORT_IN_USE', `OPC UA port ${port} is already in use (EADDRINUSE)`, { cause: err });
		}
		throw new SimError('SIM_ERR_OPCUA_START', `OPC UA server did not start: ${(err as Error).message}`, { cause: err });
	}

	const endpoint = server.getEndpointUrl();
	log(`opcua: serving ${line} at ${endpoint} (namespace ${NAMESPACE_URI} = ns=${namespaceIndex})`);
	if (secure) log(`opcua: secure mode: Sign and SignAndEncrypt only, user name ${secure.username} and its password required`);
	let stopped = false;

	return {
		endpoint,
		namespaceIndex,
		update(samples, plantTimeMs) {
			if (stopped) return;
			const sourceTimestamp = new Date(plantTimeMs);
			for (const s of samples) {
				const entry = variables.get(s.path);
				if (!entry || entry.value === s.value) continue;
				entry.value = s.value;
				entry.variable.setValueFromSource(
					new Variant({ dataType: entry.dataType, value: s.value }),
					StatusCodes.Good,
					sourceTimestamp
				);
			}
		},
		async stop() {
			if (stopped) return;
			stopped = true;
			await server.shutdown(0);
			log(`opcua: stopped ${endpoint}`);
		}
	};
}

function buildAddressSpace(server: OPCUAServer, options: OpcuaServerOptions) {
	const addressSpace = server.engine.addressSpace;
	if (!addressSpace) throw new Error('address space not ready');
	const ns = addressSpace.registerNamespace(NAMESPACE_URI);
	const variables: Variables = new Map();
	const { line } = options;

	let parent: UAObject = addressSpace.rootFolder.objects;
	const segments = [ENTERPRISE, SITE, AREA, line];
	for (let i = 0; i < segments.length; i++) {
		parent = ns.addFolder(parent, { browseName: segments[i], nodeId: `s=${segments.slice(0, i + 1).join('/')}` });
	}
	const lineFolder = parent;

	for (const machine of MACHINE_IDS) {
		const mPath = machinePath(line, machine);
		const object = ns.addObject({ organizedBy: lineFolder, browseName: machine, nodeId: `s=${mPath}` });
		for (const def of machineTags(machine)) addTagVariable(ns, object, mPath, def, variables);
		for (const def of SETPOINTS[machine]) addSetpointVariable(ns, object, mPath, machine, def, variables, options);
		for (const name of Object.keys(METHODS) as MethodName[]) {
			addCommandMethod(ns, object, mPath, `${line}/${machine}`, name, METHODS[name], options, (args) =>
				parseMethodCall(line, machine, name, args)
			);
		}
	}

	const oPath = orderPath(line);
	const order = ns.addObject({
		organizedBy: lineFolder,
		browseName: ORDER,
		nodeId: `s=${oPath}`,
		description: 'The line’s current work order'
	});
	for (const def of ORDER_TAGS) addTagVariable(ns, order, oPath, def, variables);
	for (const name of Object.keys(ORDER_METHODS) as OrderMethodName[]) {
		addCommandMethod(ns, order, oPath, `${line}/${ORDER}`, name, ORDER_METHODS[name], options, (args) =>
			parseOrderMethodCall(line, name, args)
		);
	}
	return { variables, namespaceIndex: ns.index };
}

function addTagVariable(ns: Namespace, object: UAObject, objectPath: string, def: TagDef, variables: Variables): void {
	const dataType = DATA_TYPES[def.type];
	const variable = ns.addVariable({
		componentOf: object,
		browseName: def.id,
		nodeId: `s=${objectPath}/${def.id}`,
		dataType: def.type,
		description: def.unit ? `${def.id} (${def.unit})` : def.id,
		minimumSamplingInterval: MINIMUM_SAMPLING_INTERVAL_MS,
		accessLevel: 'CurrentRead',
		userAccessLevel: 'CurrentRead',
		value: new Variant({ dataType, value: def.type === 'String' ? '' : 0 })
	});
	variables.set(`${objectPath}/${def.id}`, { variable, dataType, value: undefined });
}

interface MethodArgument {
	readonly name: string;
	readonly type: keyof typeof DATA_TYPES;
	readonly description: string;
}

/**
 * Adds a method to a machine or order object.
 * @param where names the object in log lines, e.g. `line1/capper`
 * @param parse turns the input argument values into a command
 */
function addCommandMethod(
	ns: Namespace,
	object: UAObject,
	objectPath: string,
	where: string,
	name: string,
	args: readonly MethodArgument[],
	options: OpcuaServerOptions,
	parse: (args: unknown[]) => ParsedCommand
): void {
	const method = ns.addMethod(object, {
		browseName: name,
		nodeId: `s=${objectPath}/${name}`,
		inputArguments: args.map((a) => ({
			name: a.name,
			dataType: DATA_TYPES[a.type],
			description: { text: a.description }
		})),
		outputArguments: []
	});
	// node-opcua tells promise-returning methods from callback ones by their arity: keep both parameters.
	method.bindMethod(async (inputArguments: Variant[], _context: ISessionContext) => {
		try {
			const parsed = parse(inputArguments.map((v) => v.value));
			const problem = !parsed.ok
				? parsed.problem
				: parsed.machine === null
					? options.onOrderCommand(parsed.command)
					: options.onCommand(parsed.machine, parsed.command);
			if (problem) {
				options.log(`opcua: refused ${name} on ${where}: ${problem.message} [${problem.code}]`);
				return { statusCode: refusedStatus(problem) };
			}
			options.log(`opcua: ${name} on ${where}`);
			return { statusCode: StatusCodes.Good, outputArguments: [] };
		} catch (err) {
			options.log(`opcua: ${name} on ${where} failed: ${(err as Error).message}`);
			return { statusCode: StatusCodes.BadInternalError };
		}
	});
}
