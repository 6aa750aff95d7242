/** Command-line options of the simulator, parsed into `SimulatorOptions`. */
import { parseArgs } from 'node:util';
import { SimError } from './errors.js';
import { DEFAULTS, type SimulatorOptions } from './options.js';

export const USAGE = `Usage: tsx plc-sim/main.ts [options]
  --seed <int>          random story (default ${DEFAULTS.seed})
  --speed <factor>      plant time per wall time (default ${DEFAULTS.speed}; 60 = a plant-hour per minute)
  --start <ISO time>    plant time at start (default: now)
  --opcua-port <n>      OPC UA port for line 1 (default ${DEFAULTS.opcuaPort})
  --opcua-host <addr>   OPC UA listen address (default ${DEFAULTS.opcuaHost})
  --no-opcua            do not serve OPC UA
  --mqtt-url <url>      broker for line 2 (default ${DEFAULTS.mqttUrl})
  --no-mqtt             do not publish to MQTT
  --mqtt-accounts <file> the HMI's broker accounts (DATA_DIR/mqtt-accounts.json): each MQTT client signs in
                        with its own (waits for the file); or PLC_SIM_MQTT_USERNAME / PLC_SIM_MQTT_PASSWORD
  --data-dir <dir>      folder for the OPC UA PKI (default ${DEFAULTS.dataDir})
  -h, --help            show this help`;

/** Command-line options; the accounts file is read by the caller (it may have to wait for it). */
export type CliOptions = SimulatorOptions & { mqttAccountsFile?: string };

/** Turns argv into options; throws `SIM_ERR_BAD_OPTION` with a one-line message. */
export function parseCli(argv: string[]): CliOptions | 'help' {
	let values;
	try {
		({ values } = parseArgs({
			args: argv,
			strict: true,
			allowPositionals: false,
			options: {
				seed: { type: 'string' },
				speed: { type: 'string' },
				start: { type: 'string' },
				'opcua-port': { type: 'string' },
				'opcua-host': { type: 'string' },
				'no-opcua': { type: 'boolean' },
				'mqtt-url': { type: 'string' },
				'no-mqtt': { type: 'boolean' },
				'mqtt-accounts': { type: 'string' },
				'data-dir': { type: 'string' },
				help: { type: 'boolean', short: 'h' }
			}
		}));
	} catch (err) {
		throw new SimError('SIM_ERR_BAD_OPTION', (err as Error).message.split('\n')[0]);
	}
	if (values.help) return 'help';
	return {
		seed: number(values.seed, '--seed'),
		speed: number(values.speed, '--speed'),
		startTime: values.start,
		opcuaPort: number(values['opcua-port'], '--opcua-port'),
		opcuaHost: values['opcua-host'],
		opcua: !values['no-opcua'],
		mqttUrl: values['mqtt-url'],
		mqtt: !values['no-mqtt'],
		mqttAccountsFile: values['mqtt-accounts'],
		dataDir: values['data-dir']
	};
}

function number(text: string | undefined, name: string): number | undefined {
	if (text === undefined) return undefined;
	const n = Number(text);
	if (text.trim() === '' || !Number.isFinite(n)) throw new SimError('SIM_ERR_BAD_OPTION', `${name} must be a number, got "${text}"`);
	return n;
}
