/**
 * The simulator's Sparkplug B options. They are taken out of argv before the main parser (which is
 * strict) sees it, so the edge node stays in its own folder:
 *   --sparkplug            also run the utilities edge node on the MQTT broker (the demo turns it on)
 *   --sparkplug-group <id> Sparkplug group id (default acme-utrecht)
 */
import type { Simulator } from '../index.js';
import { DEFAULTS, type SimulatorOptions } from '../options.js';
import { SimError } from '../errors.js';
import { loginFor, SPARKPLUG_ACCOUNT } from '../mqtt-accounts.js';
import { SPARKPLUG_DEFAULTS } from './defaults.js';

export const SPARKPLUG_USAGE = `  --sparkplug           also run the Sparkplug B edge node ${SPARKPLUG_DEFAULTS.group}/${SPARKPLUG_DEFAULTS.edge} on the broker
  --sparkplug-group <id> its Sparkplug group id (default ${SPARKPLUG_DEFAULTS.group})`;

export interface SparkplugCli {
	/** argv without the Sparkplug options. */
	argv: string[];
	/** The group id to run the edge node in, or undefined when it is off. */
	group?: string;
}

/** Throws `SIM_ERR_BAD_OPTION` for a group id that is empty or contains MQTT topic characters. */
export function takeSparkplugArgs(argv: readonly string[]): SparkplugCli {
	const rest: string[] = [];
	let on = false;
	let group: string = SPARKPLUG_DEFAULTS.group;
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--sparkplug') on = true;
		else if (arg === '--sparkplug-group' || arg.startsWith('--sparkplug-group=')) {
			const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
			if (!value || /[/+#]/.test(value)) throw new SimError('SIM_ERR_BAD_OPTION', `--sparkplug-group must be an id without / + #, got "${value ?? ''}"`);
			group = value;
		} else rest.push(arg);
	}
	return on ? { argv: rest, group } : { argv: rest };
}

/**
 * Starts the edge node next to a running simulator (same broker, seed and speed) and returns the
 * simulator with a `stop()` that sends the node's deaths first.
 */
export async function withSparkplugEdge(sim: Simulator, options: SimulatorOptions, group: string): Promise<Simulator> {
	const { startSparkplugEdge } = await import('./mqtt-edge.js');
	const edge = startSparkplugEdge({
		url: sim.mqttUrl ?? options.mqttUrl ?? DEFAULTS.mqttUrl,
		login: loginFor(sim.mqttAccounts, SPARKPLUG_ACCOUNT),
		seed: options.seed ?? DEFAULTS.seed,
		speed: options.speed ?? DEFAULTS.speed,
		group,
		log: (line) => console.log(`plc-sim: ${line}`)
	});
	return { ...sim, stop: () => edge.stop().then(() => sim.stop()) };
}
