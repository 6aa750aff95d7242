/**
 * The bottling-plant simulator as a library: line 1 over OPC UA, line 2 over MQTT, one plant model
 * stepped in fixed plant-time steps. `main.ts` is the command line over `startSimulator`.
 */
import { FixedStepClock } from './clock.js';
import { SimError, type SimProblem } from './errors.js';
import { startMqttPublisher, type MqttPublisher } from './mqtt-publisher.js';
import { lineAccount, loginFor, type MqttAccounts } from './mqtt-accounts.js';
import type { LineId, MachineId } from './model/plant.js';
import {
	STEP_MS,
	advance,
	applyCommand,
	applyOrderCommand,
	createPlant,
	orderOf,
	readAllTags,
	statusOf,
	type Command,
	type OrderCommand,
	type Sample
} from './model/simulation.js';
import type { MachineStatus, OrderState, PlantState } from './model/state.js';
import { startOpcuaServer, type OpcuaOutput } from './opcua-server.js';
import { resolveOptions, type SimulatorOptions } from './options.js';
import { applySetpoint } from './model/setpoints.js';

export { SimError, type SimProblem } from './errors.js';
export { DEFAULTS, MAX_SPEED, type SimulatorOptions } from './options.js';
export { NAMESPACE_URI, RESOURCE_PATH } from './opcua-server.js';
export { commandTopic } from './commands.js';
export { setpointTopic } from './setpoint-commands.js';
export { SETPOINTS } from './model/setpoints.js';
export { orderTagPath, tagPath, type LineId, type MachineId, type OrderTagId } from './model/plant.js';
export type { Command, OrderCommand, OrderTagSample, Sample, TagSample } from './model/simulation.js';
export type { MachineStatus, OrderState, PlantState } from './model/state.js';

/** Read access to the running plant (and a back door for commands), for tests. */
export interface SimulatorModel {
	/** Current snapshot; do not mutate it. */
	readonly state: PlantState;
	/** Plant time of the snapshot, epoch ms. */
	readonly plantTimeMs: number;
	/** Every tag (machines' and work orders') with its current value. */
	tags(): Sample[];
	/** Current value of a tag by UNS path, or undefined for an unknown path. */
	read(path: string): number | string | undefined;
	status(line: LineId, machine: MachineId): MachineStatus;
	/** The line's current work order (the one just done while the line is in its changeover). */
	order(line: LineId): OrderState;
	/** Applies a command as if it came from OPC UA or MQTT; returns why it was refused, or null. */
	command(line: LineId, machine: MachineId, command: Command): SimProblem | null;
	/** Applies a work-order command as if it came from OPC UA or MQTT; returns why it was refused, or null. */
	orderCommand(line: LineId, command: OrderCommand): SimProblem | null;
	/** Writes a setpoint (e.g. `speed_target`) as if it came from OPC UA or MQTT; returns why it was refused, or null. */
	setpoint(line: LineId, machine: MachineId, id: string, value: number): SimProblem | null;
}

export interface Simulator {
	/** e.g. `opc.tcp://127.0.0.1:4840/UA/plc-sim`; undefined with `opcua: false`. */
	opcuaEndpoint?: string;
	/** Namespace index of `urn:acme:plc-sim`; undefined with `opcua: false`. */
	opcuaNamespaceIndex?: number;
	/** Broker URL; undefined with `mqtt: false`. */
	mqttUrl?: string;
	/** How its MQTT clients sign in; undefined: anonymously. */
	mqttAccounts?: MqttAccounts;
	model: SimulatorModel;
	/** Stops the runner, the OPC UA server and the MQTT client. Safe to call twice. */
	stop(): Promise<void>;
}

const OPCUA_LINE: LineId = 'line1';
const MQTT_LINE: LineId = 'line2';

/**
 * Starts the simulator. Rejects with a `SimError` (`SIM_ERR_BAD_OPTION`, `SIM_ERR_PORT_IN_USE`,
 * `SIM_ERR_OPCUA_START`); an unreachable MQTT broker is not an error, it is retried.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
	const o = resolveOptions(options);
	const log = o.log;
	let state = createPlant(o.seed, o.startTimeMs);
	const clock = new FixedStepClock({ stepMs: STEP_MS, speed: o.speed, startWallMs: o.now() });
	let opcua: OpcuaOutput | undefined;
	let mqtt: MqttPublisher | undefined;

	const emit = () => {
		const samples = readAllTags(state);
		opcua?.update(samples, state.timeMs);
		mqtt?.update(samples, state.timeMs);
	};
	const command = (line: LineId, machine: MachineId, cmd: Command): SimProblem | null => {
		const result = applyCommand(state, line, machine, cmd);
		if (result.problem) return result.problem;
		state = result.state;
		emit();
		return null;
	};
	const setpoint = (line: LineId, machine: MachineId, id: string, value: number): SimProblem | null => {
		const result = applySetpoint(state, line, machine, id, value);
		if (result.problem) return result.problem;
		state = result.state;
		emit();
		return null;
	};
	const orderCommand = (line: LineId, cmd: OrderCommand): SimProblem | null => {
		const result = applyOrderCommand(state, line, cmd);
		if (result.problem) return result.problem;
		state = result.state;
		emit();
		return null;
	};

	if (o.opcua) {
		opcua = await startOpcuaServer({
			port: o.opcuaPort,
			host: o.opcuaHost,
			dataDir: o.dataDir,
			line: OPCUA_LINE,
			log,
			onCommand: (machine, cmd) => command(OPCUA_LINE, machine, cmd),
			onOrderCommand: (cmd) => orderCommand(OPCUA_LINE, cmd),
			onSetpoint: (machine, id, value) => setpoint(OPCUA_LINE, machine, id, value)
		});
	}
	if (o.mqtt) {
		try {
			mqtt = startMqttPublisher({
				url: o.mqttUrl,
				login: loginFor(o.mqttAccounts, lineAccount(MQTT_LINE)),
				line: MQTT_LINE,
				log,
				now: o.now,
				onCommand: (machine, cmd) => command(MQTT_LINE, machine, cmd),
				onOrderCommand: (cmd) => orderCommand(MQTT_LINE, cmd),
				onSetpoint: (machine, id, value) => setpoint(MQTT_LINE, machine, id, value)
			});
		} catch (err) {
			await opcua?.stop();
			throw new SimError('SIM_ERR_BAD_OPTION', `MQTT client did not start: ${(err as Error).message}`, { cause: err });
		}
	}

	emit();
	const timer = setInterval(() => {
		try {
			const { steps, dropped } = clock.take(o.now());
			if (dropped > 0) log(`plc-sim: fell behind by ${(dropped * STEP_MS) / 1000} s of plant time; skipped ahead`);
			if (steps > 0) state = advance(state, steps);
			emit();
		} catch (err) {
			log(`plc-sim: step failed: ${(err as Error).stack ?? err}`);
		}
	}, o.tickIntervalMs);

	log(
		`plc-sim: seed ${o.seed}, speed ×${o.speed}, plant time starts ${new Date(o.startTimeMs).toISOString()}` +
			(o.mqtt ? `, line 2 → ${o.mqttUrl}` : '')
	);

	let stopping: Promise<void> | undefined;
	return {
		opcuaEndpoint: opcua?.endpoint,
		opcuaNamespaceIndex: opcua?.namespaceIndex,
		mqttUrl: o.mqtt ? o.mqttUrl : undefined,
		mqttAccounts: o.mqttAccounts,
		model: {
			get state() {
				return state;
			},
			get plantTimeMs() {
				return state.timeMs;
			},
			tags: () => readAllTags(state),
			read: (path) => readAllTags(state).find((t) => t.path === path)?.value,
			status: (line, machine) => statusOf(state, line, machine),
			order: (line) => orderOf(state, line),
			command,
			orderCommand,
			setpoint
		},
		stop() {
			stopping ??= (async () => {
				clearInterval(timer);
				const results = await Promise.allSettled([opcua?.stop(), mqtt?.stop()]);
				for (const r of results) if (r.status === 'rejected') log(`plc-sim: stop: ${(r.reason as Error).message}`);
			})();
			return stopping;
		}
	};
}
