/** Simulator options: defaults and validation, shared by the CLI and the in-process API. */
import { SimError } from './errors.js';
import type { MqttAccounts } from './mqtt-accounts.js';

/** Fastest plant time allowed, plant ms per wall ms (3600: one plant-hour per second). */
export const MAX_SPEED = 3600;

export interface SimulatorOptions {
	/** Seed of the plant's random story. Default 1. */
	seed?: number;
	/** Plant ms per wall ms. Default 1; 60 runs a plant-hour per minute. */
	speed?: number;
	/** Serve line 1 over OPC UA. Default true. */
	opcua?: boolean;
	/** Default 4840. */
	opcuaPort?: number;
	/** Address the OPC UA server listens on. Default 127.0.0.1. */
	opcuaHost?: string;
	/** Publish line 2 to MQTT. Default true. */
	mqtt?: boolean;
	/** Default mqtt://127.0.0.1:1884. */
	mqttUrl?: string;
	/** How each MQTT client signs in (see mqtt-accounts.ts); default anonymous. */
	mqttAccounts?: MqttAccounts;
	/** Plant time at start (Date, ISO string or epoch ms). Default: now. */
	startTime?: Date | string | number;
	/** Folder for the OPC UA PKI (`<dataDir>/plc-sim-pki`), relative to the cwd. Default `data`. */
	dataDir?: string;
	/** Where log lines go. Default console.log. */
	log?: (line: string) => void;
	/** Wall clock, ms. Default Date.now. */
	now?: () => number;
	/** Wall time between runner ticks, ms. Default 100. */
	tickIntervalMs?: number;
}

export type ResolvedOptions = Required<Omit<SimulatorOptions, 'startTime' | 'mqttAccounts'>> & { startTimeMs: number; mqttAccounts?: MqttAccounts };

export const DEFAULTS = {
	seed: 1,
	speed: 1,
	opcua: true,
	opcuaPort: 4840,
	opcuaHost: '127.0.0.1',
	mqtt: true,
	mqttUrl: 'mqtt://127.0.0.1:1884',
	dataDir: 'data',
	tickIntervalMs: 100
} as const;

const MQTT_PROTOCOLS = ['mqtt:', 'mqtts:', 'tcp:', 'ssl:', 'ws:', 'wss:'];

/** Fills in defaults; throws `SIM_ERR_BAD_OPTION` naming the first bad option. */
export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
	const o = { ...DEFAULTS, log: (line: string) => console.log(line), now: Date.now, ...stripUndefined(options) };
	const bad = (message: string): never => {
		throw new SimError('SIM_ERR_BAD_OPTION', message);
	};

	if (!Number.isSafeInteger(o.seed)) bad(`seed must be an integer, got ${o.seed}`);
	if (!Number.isFinite(o.speed) || o.speed <= 0 || o.speed > MAX_SPEED) bad(`speed must be > 0 and ≤ ${MAX_SPEED}, got ${o.speed}`);
	if (!Number.isInteger(o.opcuaPort) || o.opcuaPort < 1 || o.opcuaPort > 65535) bad(`OPC UA port must be 1–65535, got ${o.opcuaPort}`);
	if (typeof o.opcuaHost !== 'string' || o.opcuaHost === '') bad('OPC UA host must not be empty');
	let url: URL | undefined;
	try {
		url = new URL(o.mqttUrl);
	} catch {
		bad(`MQTT URL is not a URL: ${o.mqttUrl}`);
	}
	if (url && !MQTT_PROTOCOLS.includes(url.protocol)) bad(`MQTT URL must start with mqtt://, mqtts://, ws:// or wss://, got ${o.mqttUrl}`);
	if (!Number.isFinite(o.tickIntervalMs) || o.tickIntervalMs < 10 || o.tickIntervalMs > 1000) {
		bad(`tick interval must be 10–1000 ms, got ${o.tickIntervalMs}`);
	}
	if (typeof o.dataDir !== 'string' || o.dataDir === '') bad('data dir must not be empty');

	let startTimeMs: number;
	if (options.startTime === undefined) startTimeMs = o.now();
	else {
		startTimeMs = options.startTime instanceof Date ? options.startTime.getTime() : new Date(options.startTime).getTime();
		if (!Number.isFinite(startTimeMs)) bad(`start time is not a valid date: ${String(options.startTime)}`);
	}

	const { startTime: _ignored, ...rest } = o as typeof o & { startTime?: unknown };
	return { ...rest, startTimeMs };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
	return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
