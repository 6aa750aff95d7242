import {
	AttributeIds,
	BrowseDirection,
	DataType,
	MessageSecurityMode,
	OPCUACertificateManager,
	OPCUAClient,
	SecurityPolicy,
	StatusCodes,
	type ClientSession
} from 'node-opcua';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NAMESPACE_URI, startSimulator, type Simulator } from './index.js';
import { eventually, freePort, logSink, tempDir } from './test/helpers.js';

const LINE = 'acme/utrecht/packaging/line1';

describe('OPC UA server (line 1)', () => {
	let tmp: Awaited<ReturnType<typeof tempDir>>;
	let port: number;
	let sim: Simulator | undefined;
	let client: OPCUAClient | undefined;
	let session: ClientSession | undefined;
	let ns: number;
	const sink = logSink();

	const start = () =>
		startSimulator({ opcuaPort: port, mqtt: false, dataDir: tmp.dir, seed: 3, log: sink.log, startTime: '2026-01-05T06:00:00Z' });

	async function connect(endpoint: string): Promise<ClientSession> {
		client = OPCUAClient.create({
			applicationName: 'plc-sim-test',
			endpointMustExist: false,
			securityMode: MessageSecurityMode.None,
			securityPolicy: SecurityPolicy.None,
			connectionStrategy: { maxRetry: 20, initialDelay: 200, maxDelay: 500 },
			clientCertificateManager: new OPCUACertificateManager({
				rootFolder: path.join(tmp.dir, 'client-pki'),
				automaticallyAcceptUnknownCertificate: true,
				disableFileWatchers: true
			})
		});
		await client.connect(endpoint);
		session = await client.createSession();
		ns = (await session.readNamespaceArray()).indexOf(NAMESPACE_URI);
		return session;
	}

	async function disconnect(): Promise<void> {
		await session?.close().catch(() => undefined);
		await client?.disconnect().catch(() => undefined);
		session = undefined;
		client = undefined;
	}

	const node = (p: string) => `ns=${ns};s=${LINE}/${p}`;
	const read = async (p: string) => (await session!.read({ nodeId: node(p), attributeId: AttributeIds.Value })).value;
	const call = (machine: string, method: string, inputArguments: { dataType: DataType; value: unknown }[]) =>
		session!.call({ objectId: node(machine), methodId: node(`${machine}/${method}`), inputArguments });

	beforeAll(async () => {
		tmp = await tempDir('plc-sim-opcua-');
		port = await freePort();
		sim = await start();
		await connect(sim.opcuaEndpoint!);
	});

	afterAll(async () => {
		await disconnect();
		await sim?.stop();
		await tmp?.remove();
	});

	test('endpoint, namespace and PKI folder', () => {
		expect(sim!.opcuaEndpoint).toBe(`opc.tcp://127.0.0.1:${port}/UA/plc-sim`);
		expect(ns).toBeGreaterThan(0);
		expect(sim!.opcuaNamespaceIndex).toBe(ns);
	});

	test('the line is browsable: Objects/acme/utrecht/packaging/line1/<machine>/<tag>', async () => {
		const paths = await session!.translateBrowsePath({
			startingNode: 'i=85', // Objects
			relativePath: {
				elements: ['acme', 'utrecht', 'packaging', 'line1', 'filler', 'speed'].map((name, i) => ({
					referenceTypeId: i < 5 ? 'i=35' : 'i=47', // Organizes, then HasComponent
					isInverse: false,
					includeSubtypes: true,
					targetName: { namespaceIndex: ns, name }
				}))
			}
		});
		expect(paths.statusCode).toEqual(StatusCodes.Good);
		expect(paths.targets?.[0].targetId.toString()).toBe(node('filler/speed'));

		const machines = await session!.browse({
			nodeId: `ns=${ns};s=${LINE}`,
			browseDirection: BrowseDirection.Forward,
			referenceTypeId: 'Organizes',
			includeSubtypes: true,
			resultMask: 0x3f
		});
		// The machines, and the line's work order beside them.
		expect(machines.references?.map((r) => r.browseName.name).sort()).toEqual(['capper', 'filler', 'labeler', 'order']);
	});

	test('the work order is browsable: Objects/acme/utrecht/packaging/line1/order/<tag>, with CompleteOrder', async () => {
		const paths = await session!.translateBrowsePath({
			startingNode: 'i=85', // Objects
			relativePath: {
				elements: ['acme', 'utrecht', 'packaging', 'line1', 'order', 'started_ms'].map((name, i) => ({
					referenceTypeId: i < 5 ? 'i=35' : 'i=47', // Organizes, then HasComponent
					isInverse: false,
					includeSubtypes: true,
					targetName: { namespaceIndex: ns, name }
				}))
			}
		});
		expect(paths.statusCode).toEqual(StatusCodes.Good);
		expect(paths.targets?.[0].targetId.toString()).toBe(node('order/started_ms'));

		const children = await session!.browse({
			nodeId: node('order'),
			browseDirection: BrowseDirection.Forward,
			referenceTypeId: 'HasComponent',
			includeSubtypes: true,
			resultMask: 0x3f
		});
		expect(children.references?.map((r) => r.browseName.name).sort()).toEqual(
			['CompleteOrder', 'good', 'number', 'product', 'started_ms', 'target'].sort()
		);
	});

	test('reads the order tags: String, String, UInt32, UInt32, Double', async () => {
		const tags = ['number', 'product', 'target', 'good', 'started_ms'];
		const values = await Promise.all(tags.map((t) => read(`order/${t}`)));
		expect(values.map((v) => v.dataType)).toEqual([DataType.String, DataType.String, DataType.UInt32, DataType.UInt32, DataType.Double]);
		const [number, product, target, good, started] = values.map((v) => v.value);
		const order = sim!.model.order('line1');
		expect(number).toBe(order.number);
		expect(number).toMatch(/^WO-26-\d{4}$/);
		expect(product).toBe(order.product);
		expect(target).toBe(order.target);
		expect(good).toBeGreaterThan(0);
		expect(good).toBeLessThan(target);
		expect(started).toBe(order.startedMs);
		expect(started).toBeLessThan(Date.UTC(2026, 0, 5, 6));
	});

	test('reads filler speed as a Double with a plant-time source timestamp', async () => {
		const dv = await session!.read({ nodeId: node('filler/speed'), attributeId: AttributeIds.Value });
		expect(dv.statusCode).toEqual(StatusCodes.Good);
		expect(dv.value.dataType).toBe(DataType.Double);
		expect(dv.value.value).toBeGreaterThan(300);
		expect(dv.sourceTimestamp!.getTime()).toBeGreaterThanOrEqual(Date.UTC(2026, 0, 5, 6));
		expect(dv.sourceTimestamp!.getTime()).toBeLessThan(Date.UTC(2026, 0, 5, 7));

		const types = await Promise.all(['state', 'reason_code', 'count_total', 'torque'].map((t) => read(`capper/${t}`)));
		expect(types.map((v) => v.dataType)).toEqual([DataType.String, DataType.UInt32, DataType.UInt32, DataType.Double]);

		const sampling = await session!.read({ nodeId: node('filler/speed'), attributeId: AttributeIds.MinimumSamplingInterval });
		expect(sampling.value.value).toBe(50);
	});

	test('InjectFault puts the capper in fault until ClearFault', async () => {
		const result = await call('capper', 'InjectFault', [{ dataType: DataType.UInt32, value: 202 }]);
		expect(result.statusCode).toEqual(StatusCodes.Good);
		expect((await read('capper/state')).value).toBe('fault');
		expect((await read('capper/reason_code')).value).toBe(202);
		expect(sim!.model.status('line1', 'capper')).toEqual({ state: 'fault', reasonCode: 202 });

		expect((await call('capper', 'ClearFault', [])).statusCode).toEqual(StatusCodes.Good);
		expect((await read('capper/state')).value).not.toBe('fault');
	});

	test('ForceValue holds a process value until ReleaseValue', async () => {
		const forced = await call('filler', 'ForceValue', [
			{ dataType: DataType.String, value: 'product_temperature' },
			{ dataType: DataType.Double, value: 12.5 }
		]);
		expect(forced.statusCode).toEqual(StatusCodes.Good);
		expect((await read('filler/product_temperature')).value).toBe(12.5);
		await new Promise((r) => setTimeout(r, 300));
		expect((await read('filler/product_temperature')).value).toBe(12.5);

		const released = await call('filler', 'ReleaseValue', [{ dataType: DataType.String, value: 'product_temperature' }]);
		expect(released.statusCode).toEqual(StatusCodes.Good);
		await new Promise((r) => setTimeout(r, 300));
		expect((await read('filler/product_temperature')).value).not.toBe(12.5);
	});

	test.each([
		['InjectFault with a non-fault reason', 'capper', 'InjectFault', [{ dataType: DataType.UInt32, value: 101 }]],
		[
			'ForceValue of an unknown tag',
			'capper',
			'ForceValue',
			[
				{ dataType: DataType.String, value: 'glue_temperature' },
				{ dataType: DataType.Double, value: 1 }
			]
		],
		['InjectFault without arguments', 'labeler', 'InjectFault', []],
		['InjectFault with a string', 'labeler', 'InjectFault', [{ dataType: DataType.String, value: '201' }]],
		['CompleteOrder with an argument', 'order', 'CompleteOrder', [{ dataType: DataType.UInt32, value: 1 }]]
	])('%s → a Bad status, and the server carries on', async (_name, machine, method, args) => {
		const result = await call(machine, method, args);
		expect(result.statusCode.isGood()).toBe(false);
		expect((await read('filler/speed')).dataType).toBe(DataType.Double);
	});

	test('CompleteOrder ends the order: every machine of line 1 changes over (401); a second call is BadInvalidState', async () => {
		const before = sim!.model.order('line1');
		expect(before.phase).toBe('running');
		const result = await call('order', 'CompleteOrder', []);
		expect(result.statusCode).toEqual(StatusCodes.Good);
		for (const machine of ['filler', 'capper', 'labeler']) {
			expect((await read(`${machine}/state`)).value).toBe('changeover');
			expect((await read(`${machine}/reason_code`)).value).toBe(401);
		}
		expect(sim!.model.order('line1')).toMatchObject({ number: before.number, phase: 'changeover' });
		expect((await read('order/number')).value).toBe(before.number);
		expect(sink.lines).toContain('opcua: CompleteOrder on line1/order');

		const again = await call('order', 'CompleteOrder', []);
		expect(again.statusCode).toEqual(StatusCodes.BadInvalidState);
		const refused = sink.lines.filter((l) => l.includes('SIM_ERR_NO_RUNNING_ORDER'));
		expect(refused).toHaveLength(1);
		expect(refused[0]).toMatch(/^opcua: refused CompleteOrder on line1\/order: line1 has no running order: WO-26-\d{4} is done/);
	});

	test('a second simulator on the same port fails with SIM_ERR_PORT_IN_USE', async () => {
		await expect(start()).rejects.toMatchObject({ code: 'SIM_ERR_PORT_IN_USE' });
	});

	test('stop and start again on the same port', async () => {
		await disconnect();
		await sim!.stop();
		sim = await start();
		expect(sim.opcuaEndpoint).toBe(`opc.tcp://127.0.0.1:${port}/UA/plc-sim`);
		await connect(sim.opcuaEndpoint!);
		expect((await read('filler/state')).value).toBeTypeOf('string');
		expect((await read('filler/speed')).dataType).toBe(DataType.Double);
	});

	test('a connected client carries on after a restart', async () => {
		if (!session) await connect(sim!.opcuaEndpoint!);
		const restored = new Promise<void>((resolve) => client!.once('connection_reestablished', () => resolve()));
		await sim!.stop();
		sim = await start();
		await restored;
		const value = await eventually(async () => {
			const dv = await session!.read({ nodeId: node('labeler/state'), attributeId: AttributeIds.Value });
			return dv.statusCode.isGood() ? dv.value.value : undefined;
		});
		expect(value).toBeTypeOf('string');
	});
});
