import net from 'node:net';
import { Aedes } from 'aedes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../../plc-sim/index';
import { freePort, tempDir } from '../../plc-sim/test/helpers';
import { setpointTopicFilter } from '../../plc-sim/setpoint-commands';
import { startHmi, waitFor, type TestHmi } from './harness';

const LINE2_TEMP = 'acme/utrecht/packaging/line2/filler/product_temperature_setpoint';

/**
 * A broker under the test's control (aedes, as the embedded one): it can hold back the PUBACK of commands,
 * stop as a crash would and start again on the same port, and it notes every command it receives.
 */
async function controllableBroker(port: number) {
	const state = { holdCommands: false, gateHmi: false, simSubscribed: false, commands: [] as { topic: string; payload: string; dup: boolean }[] };
	let current: { server: net.Server; aedes: Aedes; sockets: Set<net.Socket> } | undefined;
	const start = async () => {
		state.simSubscribed = false;
		const aedes = await Aedes.createBroker({
			// Commands held back get no PUBACK (and go nowhere): the write times out.
			authorizePublish: (_client, packet, done) => {
				if (!packet.topic.startsWith('cmd/')) return done(null);
				state.commands.push({ topic: packet.topic, payload: packet.payload.toString(), dup: packet.dup });
				if (!state.holdCommands) done(null);
			},
			// With the gate on, the HMI's CONNECT is answered only once the simulator listens for setpoints again,
			// so a re-sent command would surely reach it. (Held, not refused: mqtt.js gives up after a refusal.)
			authenticate: (client, _user, _password, done) => {
				const admit = () => {
					if (state.gateHmi && client.id.startsWith('acme-hmi-') && !state.simSubscribed) setTimeout(admit, 20);
					else done(null, true);
				};
				admit();
			}
		});
		aedes.on('subscribe', (subs, client) => {
			if (client?.id.startsWith('plc-sim-') && subs.some((s) => s.topic === setpointTopicFilter('line2'))) state.simSubscribed = true;
		});
		const sockets = new Set<net.Socket>();
		const server = net.createServer((socket) => {
			sockets.add(socket);
			socket.once('close', () => sockets.delete(socket));
			aedes.handle(socket);
		});
		await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
		current = { server, aedes, sockets };
	};
	const stop = async () => {
		const was = current;
		current = undefined;
		if (!was) return;
		const closed = new Promise<void>((resolve) => was.server.close(() => resolve()));
		for (const socket of was.sockets) socket.destroy();
		await new Promise<void>((resolve) => was.aedes.close(() => resolve()));
		await closed;
	};
	await start();
	return { state, start, stop };
}

// A setpoint write over MQTT that timed out (the operator was told its outcome is unknown) must never reach the
// machine later: not when mqtt.js reconnects (it would re-send its stored QoS 1 packets), not from anywhere else.
describe('a timed-out MQTT setpoint write is withdrawn', () => {
	let hmi: TestHmi;
	let sim: Simulator;
	let tmp: Awaited<ReturnType<typeof tempDir>>;
	let broker: Awaited<ReturnType<typeof controllableBroker>>;
	const simSetpoint = () => sim.model.state.lines[1].machines[0].setpoints?.product_temperature_setpoint;

	beforeAll(async () => {
		tmp = await tempDir('hmi-setpoint-withdraw-');
		const port = await freePort();
		broker = await controllableBroker(port);
		hmi = await startHmi({ MQTT_URL: `mqtt://127.0.0.1:${port}` });
		sim = await startSimulator({ opcua: false, mqttUrl: `mqtt://127.0.0.1:${port}`, dataDir: tmp.dir, seed: 4, log: () => {} });
		await waitFor(() => hmi.runtime.store.get(LINE2_TEMP)?.quality === 0, 'line 2 setpoint tag live', 30_000);
	}, 60_000);

	afterAll(async () => {
		await sim?.stop();
		await hmi?.stop();
		await broker?.stop();
		await tmp?.remove();
	});

	test('the broker goes down mid-write: 504 outcome unknown, audited so; after its restart the command is never re-sent nor applied', async () => {
		const before = hmi.runtime.store.get(LINE2_TEMP)?.value;
		const simBefore = simSetpoint();
		expect(before).toBe(6.5);

		broker.state.holdCommands = true;
		const started = Date.now();
		const writing = hmi.runtime.setpoints.write('olga', LINE2_TEMP, 8);
		await waitFor(() => broker.state.commands.length === 1, 'the command at the broker, unacknowledged');
		await broker.stop();
		const result = await writing;
		// The broker had the command and did not confirm it: whether it went further is not known.
		expect(result).toMatchObject({ ok: false, status: 504, code: 'HMI_ERR_SETPOINT_OUTCOME_UNKNOWN' });
		console.log(
			`[measure] MQTT setpoint write with the broker gone: outcome unknown after ${Date.now() - started} ms (timeout ${hmi.runtime.config.setpoints.writeTimeoutMs} ms)`
		);
		const [row] = hmi.runtime.audit.query({ action: 'setpoint.write', target: LINE2_TEMP, limit: 1 });
		expect(row).toMatchObject({ oldValue: 6.5, newValue: 8, detail: { result: 'unknown' } });

		broker.state.commands.length = 0;
		broker.state.holdCommands = false;
		broker.state.gateHmi = true;
		await broker.start();
		await waitFor(() => hmi.runtime.sources.get('mqtt')?.state === 'connected', 'HMI back on the broker', 20_000);
		await waitFor(() => hmi.runtime.store.get(LINE2_TEMP)?.quality === 0, 'line 2 values flowing again', 20_000);
		// Time for anything mqtt.js kept to be re-sent after the reconnect.
		await new Promise((r) => setTimeout(r, 2000));
		expect(broker.state.commands).toEqual([]);
		expect(simSetpoint()).toBe(simBefore);
		expect(hmi.runtime.store.get(LINE2_TEMP)?.value).toBe(before);

		// The path works: a new write after the restart is applied.
		const again = await hmi.runtime.setpoints.write('olga', LINE2_TEMP, 7.5);
		expect(again).toMatchObject({ ok: true, entry: { detail: { result: 'sent' } } });
		await waitFor(() => simSetpoint() === 7.5, 'the new write applied');
	}, 60_000);
});
