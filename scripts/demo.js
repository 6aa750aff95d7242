// The whole demo on one machine: builds the app, then runs the PLC simulator and the HMI (with its
// embedded MQTT broker) side by side until Ctrl-C. Settings come from the environment:
//   PORT (3000)  MQTT_PORT (1884)  OPCUA_PORT (4840)  DATA_DIR (data/demo)  SIM_SEED (1)  SIM_SPEED (1)
//   SKIP_BUILD=1 to reuse an existing build (the end-to-end tests do).
//   SIM_SPARKPLUG=0 to leave out the simulator's Sparkplug B edge node (spBv1.0/acme-utrecht/…/utilities).
//   SIM_LOAD_TOPICS=100000 SIM_LOAD_RATE=10000 to add the load mode (topics under loadtest/… for the UNS browser).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const port = env.PORT ?? '3000';
const mqttPort = env.MQTT_PORT ?? '1884';
const opcuaPort = env.OPCUA_PORT ?? '4840';
const dataDir = path.resolve(root, env.DATA_DIR ?? 'data/demo');

if (env.SKIP_BUILD !== '1') {
	console.log('[demo] building the app (vite build)…');
	const build = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
		cwd: root,
		stdio: 'inherit'
	});
	if (build.status !== 0) process.exit(build.status ?? 1);
} else if (!fs.existsSync(path.join(root, 'build/handler.js'))) {
	console.error('[demo] SKIP_BUILD=1 but there is no build: run `npm run build` first.');
	process.exit(1);
}

const children = [];
let stopping = false;

function start(name, args, extraEnv) {
	const child = spawn(process.execPath, args, { cwd: root, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
	const prefix = (stream, out) => {
		let rest = '';
		stream.on('data', (chunk) => {
			const lines = (rest + chunk).split('\n');
			rest = lines.pop() ?? '';
			for (const line of lines) {
				out.write(`[${name}] ${line}\n`);
				if (name === 'hmi' && line.includes('HMI ready on')) banner();
			}
		});
	};
	prefix(child.stdout, process.stdout);
	prefix(child.stderr, process.stderr);
	child.on('exit', (code, signal) => {
		if (stopping) return;
		console.error(`[demo] ${name} stopped (${signal ?? `exit ${code}`}); stopping the demo.`);
		stop(code || 1);
	});
	children.push(child);
	return child;
}

function banner() {
	console.log(
		[
			'',
			`[demo] ────────────────────────────────────────────────────────────`,
			`[demo]  Open http://localhost:${port} and sign in.`,
			'[demo]  DEMO users (password = user name): operator, maintenance, manager, admin',
			'[demo]  Ctrl-C stops simulator, broker and HMI.',
			`[demo] ────────────────────────────────────────────────────────────`,
			''
		].join('\n')
	);
}

function stop(code = 0) {
	if (stopping) return;
	stopping = true;
	for (const child of children) child.kill('SIGTERM');
	const force = setTimeout(() => {
		for (const child of children) child.kill('SIGKILL');
		process.exit(code);
	}, 8000);
	force.unref();
	Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? null : new Promise((r) => c.once('exit', r))))).then(() =>
		process.exit(code)
	);
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

start('hmi', ['server.js'], {
	DEMO: '1',
	PORT: port,
	MQTT_PORT: mqttPort,
	OPCUA_ENDPOINT: `opc.tcp://127.0.0.1:${opcuaPort}/UA/plc-sim`,
	DATA_DIR: dataDir
});
start('sim', ['--import', 'tsx', 'plc-sim/main.ts', '--seed', env.SIM_SEED ?? '1', '--speed', env.SIM_SPEED ?? '1',
	'--opcua-port', opcuaPort, '--mqtt-url', `mqtt://127.0.0.1:${mqttPort}`, '--data-dir', dataDir,
	// The HMI's embedded broker signs every client in: the simulator takes its accounts from the file the HMI writes.
	'--mqtt-accounts', path.join(dataDir, 'mqtt-accounts.json'),
	...(env.SIM_SPARKPLUG === '0' ? [] : ['--sparkplug']),
	...(env.SIM_LOAD_TOPICS ? ['--load-topics', env.SIM_LOAD_TOPICS, '--load-rate', env.SIM_LOAD_RATE ?? '1000'] : [])], {});
