/**
 * A small OPC UA server (node-opcua's own, not our simulator) standing in for a PLC whose variables have the
 * PLC's data types (REAL = Float, DINT = Int32, INT = Int16, …) and, where a test asks, a slow write path:
 *
 * - `apply-late`: the write waits `delayMs` before it is applied, as in a PLC whose OPC UA task hands writes to
 *   the next (slow) cycle; when the session it came on has been closed by then, the write is dropped (the
 *   server discards the queued work of a closed session).
 * - `answer-late`: the write is applied at once, but the answer leaves only after `delayMs`.
 *
 * Every write the server receives is noted, with when it arrived and what became of it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DataType, DataValue, OPCUACertificateManager, OPCUAServer, StatusCodes, Variant, type ISessionContext, type StatusCode, type UAVariable, VariantArrayType } from 'node-opcua';
import { tempDir } from '../../plc-sim/test/helpers';
import type { SessionUser } from '../../src/lib/server/auth/auth-service';
import { freePort, startHmi, waitFor, type TestHmi } from './harness';
import { signedIn, useRuntime } from './routes';

export const TEST_PLC_NAMESPACE = 'urn:acme:test-plc';

export interface TestPlcVariable {
	/** String identifier of the node in TEST_PLC_NAMESPACE. */
	nodeId: string;
	dataType: DataType;
	initial: number | boolean | string | [number, number];
	behaviour?: 'normal' | 'apply-late' | 'answer-late';
}

export interface TestPlcWrite {
	nodeId: string;
	value: unknown;
	dataType: string;
	receivedAt: number;
	outcome: 'pending' | 'applied' | 'dropped (session closed)' | 'refused';
}

export interface TestPlc {
	endpoint: string;
	writes: TestPlcWrite[];
	/** Sessions closed by their client (CloseSession), counted. */
	closedSessions(): number;
	/** The value the node holds now. */
	value(nodeId: string): unknown;
	/** Called when a write arrives, before anything is done with it. */
	onWrite?: (write: TestPlcWrite) => void;
	stop(): Promise<void>;
}

type WriteCallback = (err: Error | null, statusCode?: StatusCode) => void;
type WriteValueFn = (context: ISessionContext, dataValue: DataValue, indexRange: unknown, callback: WriteCallback) => void;

export async function startTestPlc(opts: { dataDir: string; variables: TestPlcVariable[]; delayMs?: number }): Promise<TestPlc> {
	const delayMs = opts.delayMs ?? 0;
	const pki = path.join(opts.dataDir, 'test-plc-pki');
	fs.mkdirSync(pki, { recursive: true });
	const manager = (folder: string) =>
		new OPCUACertificateManager({ rootFolder: path.join(pki, folder), automaticallyAcceptUnknownCertificate: true, disableFileWatchers: true });
	const server = new OPCUAServer({
		port: await freePort(),
		host: '127.0.0.1',
		hostname: '127.0.0.1',
		resourcePath: '/UA/test-plc',
		serverCertificateManager: manager('server'),
		userCertificateManager: manager('user'),
		allowAnonymous: true
	});
	await server.initialize();
	const addressSpace = server.engine.addressSpace!;
	const ns = addressSpace.registerNamespace(TEST_PLC_NAMESPACE);
	const device = ns.addObject({ organizedBy: addressSpace.rootFolder.objects, browseName: 'Device' });
	const nodes = new Map<string, UAVariable>();
	const timers = new Set<NodeJS.Timeout>();
	const later = (fn: () => void) => {
		const timer = setTimeout(() => (timers.delete(timer), fn()), delayMs);
		timers.add(timer);
	};
	let closed = 0;
	server.on('session_closed', () => closed++);

	const plc: TestPlc = {
		endpoint: server.getEndpointUrl(),
		writes: [],
		closedSessions: () => closed,
		value: (nodeId) => nodes.get(nodeId)?.readValue().value.value,
		async stop() {
			for (const timer of timers) clearTimeout(timer);
			await server.shutdown(0);
		}
	};

	for (const v of opts.variables) {
		const variable = ns.addVariable({
			componentOf: device,
			browseName: v.nodeId,
			nodeId: `s=${v.nodeId}`,
			dataType: DataType[v.dataType] as string,
			minimumSamplingInterval: 50,
			accessLevel: 'CurrentRead | CurrentWrite',
			userAccessLevel: 'CurrentRead | CurrentWrite',
			value: new Variant({ dataType: v.dataType, arrayType: VariantArrayType.Scalar, value: v.initial })
		});
		nodes.set(v.nodeId, variable);
		const apply = (variable.writeValue as unknown as WriteValueFn).bind(variable);
		const writeValue: WriteValueFn = (context, dataValue, indexRange, callback) => {
			const write: TestPlcWrite = {
				nodeId: v.nodeId,
				value: dataValue.value.value,
				dataType: DataType[dataValue.value.dataType],
				receivedAt: Date.now(),
				outcome: 'pending'
			};
			plc.writes.push(write);
			plc.onWrite?.(write);
			const applyNow = (answer: WriteCallback) =>
				apply(context, dataValue, indexRange, (err, status) => {
					write.outcome = !err && status?.isGood() ? 'applied' : 'refused';
					answer(err, status);
				});
			const session = context.session as unknown as { status?: string } | undefined;
			switch (v.behaviour ?? 'normal') {
				case 'normal':
					return applyNow(callback);
				case 'apply-late':
					return later(() => {
						if (session?.status !== 'active') {
							write.outcome = 'dropped (session closed)';
							return callback(null, StatusCodes.BadSessionClosed);
						}
						applyNow(callback);
					});
				case 'answer-late':
					return applyNow((err, status) => later(() => callback(err, status)));
			}
		};
		(variable as unknown as { writeValue: WriteValueFn }).writeValue = writeValue;
	}
	await server.start();
	return plc;
}

/** The machine of the test plant: one OPC UA line with one press, its setpoints at `${PRESS}/<id>`. */
export const PRESS = 'acme/test/press/line1/press';

export interface TestSetpoint {
	id: string;
	min: number;
	max: number;
	step?: number;
	/** The setpoint's own node; default: the node named like its path. */
	nodeId?: string;
}

/**
 * Writes a plant model with one OPC UA line (namespace TEST_PLC_NAMESPACE) whose press has these setpoints, and
 * returns its file. The press reports its `state` from the node `${PRESS}/state` (see `pressStateVariable`).
 */
export function writeTestPlant(dir: string, setpoints: TestSetpoint[]): string {
	const text = (en: string) => ({ en, nl: en });
	const plant = {
		enterprise: 'acme',
		site: 'test',
		area: 'press',
		label: text('Test plant'),
		reasons: [],
		machineTypes: { press: { label: text('Press'), tags: [{ id: 'state', kind: 'state', label: text('State') }], idealRatePerMin: 60 } },
		lines: [
			{
				id: 'line1',
				label: text('Line 1'),
				// The endpoint comes from OPCUA_ENDPOINT in the tests.
				source: { kind: 'opcua', endpoint: 'opc.tcp://127.0.0.1:9/none', namespaceUri: TEST_PLC_NAMESPACE },
				constraint: 'press',
				machines: [
					{
						id: 'press',
						type: 'press',
						setpoints: setpoints.map((s) => ({ ...s, path: `${PRESS}/${s.id}`, label: text(s.id) }))
					}
				]
			}
		]
	};
	const file = path.join(dir, 'plant.json');
	fs.writeFileSync(file, JSON.stringify(plant, null, 2));
	return file;
}

/** The press's state node, so the line has a live value besides its setpoints. */
export const pressStateVariable: TestPlcVariable = { nodeId: `${PRESS}/state`, dataType: DataType.String, initial: 'running' };

/** A test PLC, the HMI on it with a plant of the given setpoints, and an operator signed in for the route calls. */
export interface PlcAndHmi {
	plc: TestPlc;
	hmi: TestHmi;
	operator: SessionUser;
	stop(): Promise<void>;
}

/**
 * Starts the PLC with `variables`, the HMI on a plant of `setpoints` (with `env`), routes on that runtime and
 * an operator `olga`, and waits until the tags at `live` are Good.
 */
export async function startPlcAndHmi(opts: {
	name: string;
	variables: TestPlcVariable[];
	setpoints: TestSetpoint[];
	live: string[];
	delayMs?: number;
	env?: Record<string, string>;
}): Promise<PlcAndHmi> {
	const tmp = await tempDir(`hmi-${opts.name}-`);
	const plc = await startTestPlc({ dataDir: tmp.dir, variables: opts.variables, delayMs: opts.delayMs });
	const hmi = await startHmi({ PLANT_MODEL: writeTestPlant(tmp.dir, opts.setpoints), OPCUA_ENDPOINT: plc.endpoint, ...opts.env });
	useRuntime(hmi.runtime);
	const operator = await signedIn(hmi.runtime, 'olga', 'operator');
	await waitFor(() => opts.live.every((p) => hmi.runtime.store.get(p)?.quality === 0), 'setpoint tags live', 30_000);
	return {
		plc,
		hmi,
		operator,
		async stop() {
			useRuntime(undefined);
			await hmi.stop();
			await plc.stop();
			await tmp.remove();
		}
	};
}
