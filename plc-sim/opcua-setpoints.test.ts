import { AttributeIds, DataType, MessageSecurityMode, OPCUACertificateManager, OPCUAClient, SecurityPolicy, StatusCodes, type ClientSession } from 'node-opcua';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NAMESPACE_URI, startSimulator, type Simulator } from './index.js';
import { eventually, freePort, tempDir } from './test/helpers.js';

const FILLER = 'acme/utrecht/packaging/line1/filler';

describe('OPC UA setpoints (line 1)', () => {
	let tmp: Awaited<ReturnType<typeof tempDir>>;
	let sim: Simulator;
	let client: OPCUAClient;
	let session: ClientSession;
	let ns: number;

	const node = (tag: string) => `ns=${ns};s=${FILLER}/${tag}`;
	const write = (tag: string, value: number, dataType = DataType.Double) =>
		session.write({ nodeId: node(tag), attributeId: AttributeIds.Value, value: { value: { dataType, value } } });
	const read = async (tag: string) => (await session.read({ nodeId: node(tag), attributeId: AttributeIds.Value })).value.value;

	beforeAll(async () => {
		tmp = await tempDir('plc-sim-setpoints-');
		sim = await startSimulator({ opcuaPort: await freePort(), mqtt: false, dataDir: tmp.dir, seed: 2, log: () => {} });
		client = OPCUAClient.create({
			endpointMustExist: false,
			securityMode: MessageSecurityMode.None,
			securityPolicy: SecurityPolicy.None,
			clientCertificateManager: new OPCUACertificateManager({ rootFolder: path.join(tmp.dir, 'client-pki'), automaticallyAcceptUnknownCertificate: true, disableFileWatchers: true })
		});
		await client.connect(sim.opcuaEndpoint!);
		session = await client.createSession();
		ns = (await session.readNamespaceArray()).indexOf(NAMESPACE_URI);
	});

	afterAll(async () => {
		await session?.close().catch(() => undefined);
		await client?.disconnect().catch(() => undefined);
		await sim?.stop();
		await tmp?.remove();
	});

	test('the defaults are served: nominal speed and the temperature setpoint', async () => {
		expect(await read('speed_target')).toBe(500);
		expect(await read('product_temperature_setpoint')).toBe(6.5);
	});

	test('a write within the limits is applied by the model and read back', async () => {
		expect((await write('speed_target', 450)).name).toBe('Good');
		expect(sim.model.read(`${FILLER}/speed_target`)).toBe(450);
		await eventually(async () => ((await read('speed_target')) === 450 ? true : undefined), 5000, 'value read back');
	});

	test.each([
		['speed_target', 700, DataType.Double, StatusCodes.BadOutOfRange],
		['speed_target', -5, DataType.Double, StatusCodes.BadOutOfRange],
		['product_temperature_setpoint', 16, DataType.Double, StatusCodes.BadOutOfRange],
		['speed', 300, DataType.Double, StatusCodes.BadNotWritable]
	])('%s ← %s is refused with %s and changes nothing', async (tag, value, dataType, status) => {
		const before = sim.model.state.lines[0].machines[0].setpoints;
		expect((await write(tag, value, dataType)).name).toBe(status.name);
		expect(sim.model.state.lines[0].machines[0].setpoints).toEqual(before);
		if (tag === 'speed_target') {
			const dv = await session.read({ nodeId: node(tag), attributeId: AttributeIds.Value });
			expect([dv.statusCode.name, dv.value.value]).toEqual(['Good', 450]);
		}
	});
});
