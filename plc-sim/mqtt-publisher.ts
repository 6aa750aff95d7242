/**
 * Line 2 over MQTT: every tag (the machines' and the work order's) as a retained UNS topic with
 * `{"timestamp_ms", "value"}`, and fault injection and test commands through `cmd/…` topics. The
 * broker may come and go; the publisher keeps retrying.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { commandTopicFilter, parseMqttCommand } from './commands.js';
import { handleSetpoint, isSetpointTopic, setpointTopicFilter } from './setpoint-commands.js';
import type { SimProblem } from './errors.js';
import type { MqttLogin } from './mqtt-accounts.js';
import { ORDER, ORDER_TAGS, machineTags, type LineId, type MachineId } from './model/plant.js';
import type { Command, OrderCommand, Sample } from './model/simulation.js';
import { PUBLISH_LIMITS, deadbandOf, shouldPublish, type LastPublished, type PublishLimits } from './publish-policy.js';

export interface MqttPublisherOptions {
	url: string;
	/** The line controller's broker account; none: anonymous. */
	login?: Partial<MqttLogin>;
	/** The line published; commands are taken for this line only. */
	line: LineId;
	log: (line: string) => void;
	/** Wall clock, ms. */
	now: () => number;
	/** Applies a command; returns why it was refused, or null. */
	onCommand: (machine: MachineId, command: Command) => SimProblem | null;
	/** Applies a command for the line's work order; returns why it was refused, or null. */
	onOrderCommand: (command: OrderCommand) => SimProblem | null;
	/** Applies a setpoint write (`cmd/…/<machine>/setpoint/<id>`); returns why it was refused, or null. */
	onSetpoint?: (machine: MachineId, id: string, value: number) => SimProblem | null;
	reconnectPeriodMs?: number;
	connectTimeoutMs?: number;
	limits?: PublishLimits;
}

export interface MqttPublisher {
	readonly connected: boolean;
	/** Publishes what the policy says is due. Call it often (every tick), even when nothing changed. */
	update(samples: readonly Sample[], plantTimeMs: number): void;
	stop(): Promise<void>;
}

/** How long stop() waits for a clean disconnect before dropping the socket, ms. */
export const MQTT_STOP_TIMEOUT_MS = 2000;

type LinkState = 'connecting' | 'connected' | 'down';

export function startMqttPublisher(options: MqttPublisherOptions): MqttPublisher {
	const { url, line, log, now } = options;
	const limits = options.limits ?? PUBLISH_LIMITS;
	const reconnectPeriodMs = options.reconnectPeriodMs ?? 2000;
	const deadbands = new Map<string, number>();
	const last = new Map<string, LastPublished>();
	let link: LinkState = 'connecting';
	let stopped = false;

	const setLink = (next: LinkState, message: string) => {
		if (next === link) return;
		link = next;
		log(`mqtt: ${message}`);
	};

	log(`mqtt: connecting to ${url}`);
	const client: MqttClient = mqtt.connect(url, {
		...options.login,
		clientId: `plc-sim-${process.pid}-${Date.now().toString(36)}`,
		protocolVersion: 4,
		clean: true,
		reconnectPeriod: reconnectPeriodMs,
		connectTimeout: options.connectTimeoutMs ?? 5000,
		// Offline messages would be stale by the time they go out; everything is republished on connect.
		queueQoSZero: false,
		resubscribe: false
	});

	client.on('connect', () => {
		// Values go out one small packet at a time: without TCP_NODELAY, Nagle's algorithm holds them back for
		// the broker's delayed ACK (up to ~40 ms on Linux).
		(client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
		setLink('connected', `connected to ${url}`);
		last.clear();
		client.subscribe(commandTopicFilter(line), { qos: 0 }, (err) => {
			if (err) log(`mqtt: cannot subscribe to commands: ${err.message}`);
		});
		// QoS 1: a setpoint write the HMI sent must not be lost between broker and simulator.
		if (options.onSetpoint)
			client.subscribe(setpointTopicFilter(line), { qos: 1 }, (err) => {
				if (err) log(`mqtt: cannot subscribe to setpoints: ${err.message}`);
			});
	});
	client.on('error', (err: Error & { code?: string | number }) => {
		setLink('down', `cannot reach ${url} (${err.code ?? err.message}); retrying every ${reconnectPeriodMs / 1000} s`);
	});
	client.on('close', () => {
		if (!stopped) setLink('down', `connection to ${url} lost; retrying every ${reconnectPeriodMs / 1000} s`);
	});
	client.on('message', (topic, payload, packet) => {
		try {
			if (packet.retain) {
				log(`mqtt: ignored retained command on ${topic} (commands act once; publish them without retain)`);
				return;
			}
			if (options.onSetpoint && isSetpointTopic(topic)) {
				handleSetpoint(topic, payload, line, options.onSetpoint, log);
				return;
			}
			const parsed = parseMqttCommand(topic, payload, line);
			if (!parsed.ok) {
				log(`mqtt: ignored command on ${topic}: ${parsed.problem.message} [${parsed.problem.code}]`);
				return;
			}
			const problem =
				parsed.machine === null ? options.onOrderCommand(parsed.command) : options.onCommand(parsed.machine, parsed.command);
			if (problem) log(`mqtt: refused command on ${topic}: ${problem.message} [${problem.code}]`);
			else log(`mqtt: ${parsed.command.kind} on ${line}/${parsed.machine ?? ORDER}`);
		} catch (err) {
			log(`mqtt: command on ${topic} failed: ${(err as Error).message}`);
		}
	});

	return {
		get connected() {
			return client.connected;
		},
		update(samples, plantTimeMs) {
			if (!client.connected || stopped) return;
			const nowMs = now();
			for (const s of samples) {
				if (s.line !== line) continue;
				let deadband = deadbands.get(s.path);
				if (deadband === undefined) {
					const defs = s.machine === null ? ORDER_TAGS : machineTags(s.machine);
					const def = defs.find((d) => d.id === s.tag);
					deadband = def ? deadbandOf(def, limits) : 0;
					deadbands.set(s.path, deadband);
				}
				if (!shouldPublish(last.get(s.path), s.value, nowMs, deadband, limits)) continue;
				client.publish(s.path, JSON.stringify({ timestamp_ms: plantTimeMs, value: s.value }), { qos: 0, retain: true });
				last.set(s.path, { value: s.value, wallMs: nowMs });
			}
		},
		async stop() {
			if (stopped) return;
			stopped = true;
			let timer: NodeJS.Timeout | undefined;
			const timeout = new Promise<'timeout'>((resolve) => {
				timer = setTimeout(() => resolve('timeout'), MQTT_STOP_TIMEOUT_MS);
			});
			const ended = client.endAsync().then(
				() => 'ended' as const,
				() => 'ended' as const
			);
			const result = await Promise.race([ended, timeout]);
			clearTimeout(timer);
			if (result === 'timeout') await client.endAsync(true).catch(() => undefined);
			log(`mqtt: disconnected from ${url}`);
		}
	};
}
