/**
 * Command line: `npm run sim -- [options]`. Runs until SIGINT/SIGTERM, then stops cleanly.
 */
import { USAGE, parseCli } from './cli.js';
import { SimError } from './errors.js';
import type { Simulator } from './index.js';
import type { CliOptions } from './cli.js';
import { readAccountsFile, singleLogin } from './mqtt-accounts.js';
import { SPARKPLUG_USAGE, takeSparkplugArgs, withSparkplugEdge } from './sparkplug/cli.js';
import { LOAD_USAGE, takeLoadArgs, withLoad } from './load/cli.js';

const SECURE_USAGE = `  --secure              OPC UA Sign/SignAndEncrypt only, user name required (PLC_SIM_OPCUA_USERNAME /
                        PLC_SIM_OPCUA_PASSWORD, demo hmi / plc-sim-demo); trusts any client certificate (demo only)`;

async function main(): Promise<void> {
	let options: CliOptions | 'help';
	let sparkplugGroup: string | undefined;
	let load: ReturnType<typeof takeLoadArgs>['load'];
	try {
		const loadArgs = takeLoadArgs(process.argv.slice(2));
		load = loadArgs.load;
		const sparkplug = takeSparkplugArgs(loadArgs.argv);
		sparkplugGroup = sparkplug.group;
		// `--secure` is the command-line form of PLC_SIM_SECURE=1 (secure mode: see opcua-server.ts).
		const argv = sparkplug.argv.filter((arg) => arg !== '--secure');
		if (argv.length !== sparkplug.argv.length) process.env.PLC_SIM_SECURE = '1';
		options = parseCli(argv);
	} catch (err) {
		fail(err);
	}
	if (options === 'help') {
		console.log(`${USAGE}\n${SPARKPLUG_USAGE}\n${SECURE_USAGE}`);
		console.log(LOAD_USAGE);
		return;
	}
	// Listen for signals before starting, so that a signal during start-up still stops cleanly.
	let sim: Simulator | undefined;
	let signalled: string | undefined;
	const shutdown = (signal: string) => {
		if (signalled) return;
		signalled = signal;
		console.log(`plc-sim: ${signal}, stopping`);
		if (sim) stopAndExit(sim);
	};
	process.on('SIGINT', () => shutdown('SIGINT'));
	process.on('SIGTERM', () => shutdown('SIGTERM'));

	try {
		// Loaded only now: a typo in an option is reported without loading the OPC UA stack first.
		const { startSimulator } = await import('./index.js');
		const { mqttAccountsFile, ...simOptions } = options;
		const { PLC_SIM_MQTT_USERNAME: user, PLC_SIM_MQTT_PASSWORD: password } = process.env;
		if (mqttAccountsFile) simOptions.mqttAccounts = await readAccountsFile(mqttAccountsFile);
		else if (user) simOptions.mqttAccounts = singleLogin(user, password ?? '');
		sim = await startSimulator(simOptions);
		if (sparkplugGroup) sim = await withSparkplugEdge(sim, simOptions, sparkplugGroup);
		if (load) sim = await withLoad(sim, simOptions, load);
	} catch (err) {
		fail(err);
	}
	if (signalled) stopAndExit(sim);
}

function stopAndExit(sim: Simulator): void {
	sim.stop().then(
		() => process.exit(0),
		(err) => {
			console.error(`plc-sim: ${(err as Error).message}`);
			process.exit(1);
		}
	);
}

function fail(err: unknown): never {
	const message = err instanceof SimError ? `${err.message} [${err.code}]` : String((err as Error)?.message ?? err);
	const hint = err instanceof SimError && err.code === 'SIM_ERR_BAD_OPTION' ? ' (see --help)' : '';
	console.error(`plc-sim: ${message}${hint}`);
	process.exit(1);
}

await main();
