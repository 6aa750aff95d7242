/**
 * The simulator's load-mode options, taken out of argv before the main parser (which is strict) sees it:
 *   --load-topics <n>   publish n topics under loadtest/… (ISA-95-like depth)
 *   --load-rate <m>     m messages per second in total (default 1000)
 */
import type { Simulator, SimulatorOptions } from '../index.js';
import { LOAD_ACCOUNT, loginFor } from '../mqtt-accounts.js';
import { DEFAULTS } from '../options.js';
import { SimError } from '../errors.js';

export const LOAD_USAGE = `  --load-topics <n>     load mode: also publish n topics under loadtest/… (UNS browser benchmarks)
  --load-rate <m>       load mode: m messages per second over all those topics (default 1000)`;

export const MAX_LOAD_TOPICS = 10_000_000;
export const MAX_LOAD_RATE = 1_000_000;

export interface LoadCli {
	argv: string[];
	load?: { topics: number; rate: number };
}

export function takeLoadArgs(argv: readonly string[]): LoadCli {
	const rest: string[] = [];
	let topics: number | undefined;
	let rate = 1000;
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const name = arg.split('=')[0];
		if (name !== '--load-topics' && name !== '--load-rate') {
			rest.push(arg);
			continue;
		}
		const raw = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
		const n = Number(raw);
		const max = name === '--load-topics' ? MAX_LOAD_TOPICS : MAX_LOAD_RATE;
		if (!Number.isInteger(n) || n < 1 || n > max) throw new SimError('SIM_ERR_BAD_OPTION', `${name} must be a whole number from 1 to ${max}, got "${raw ?? ''}"`);
		if (name === '--load-topics') topics = n;
		else rate = n;
	}
	return topics === undefined ? { argv: rest } : { argv: rest, load: { topics, rate } };
}

/** Starts the load publisher next to a running simulator (same broker); `stop()` stops it first. */
export async function withLoad(sim: Simulator, options: SimulatorOptions, load: { topics: number; rate: number }): Promise<Simulator> {
	const { startLoadPublisher } = await import('./publisher.js');
	const url = sim.mqttUrl ?? options.mqttUrl ?? DEFAULTS.mqttUrl;
	const publisher = startLoadPublisher({ url, login: loginFor(sim.mqttAccounts, LOAD_ACCOUNT), topics: load.topics, rate: load.rate });
	console.log(`plc-sim: load mode, ${load.topics} topics under loadtest/ at ${load.rate} messages/s`);
	return { ...sim, stop: () => publisher.stop().then(() => sim.stop()) };
}
