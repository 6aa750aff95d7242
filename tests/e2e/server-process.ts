/**
 * The production server (`server.js` on the build) as its own process, for the browser tests that need a
 * configuration of their own (HTTPS, several origins): a demo data folder of its own, no PLC, a free broker
 * port. Resolves once it says it is ready.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from '@playwright/test';
import { freePort } from '../../scripts/demo-stack';

export { freePort };

export interface ServerProcess {
	/** Its data folder (the broker's accounts are in it). */
	dataDir: string;
	/** Everything it printed so far. */
	output(): string;
	stop(): Promise<void>;
}

/** Starts `server.js` with `env` on top of the defaults below; a folder of its own is made and removed. */
export async function startServerProcess(name: string, env: Record<string, string>): Promise<ServerProcess> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hmi-${name}-`));
	const dataDir = path.join(dir, 'data');
	const child: ChildProcess = spawn(process.execPath, ['server.js'], {
		env: {
			PATH: process.env.PATH,
			HOME: process.env.HOME,
			HOST: '127.0.0.1',
			DATA_DIR: dataDir,
			DEMO: '1',
			LOG_LEVEL: 'warn',
			MQTT_PORT: String(await freePort()),
			OPCUA_ENDPOINT: 'opc.tcp://127.0.0.1:9/none',
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout!.on('data', (d) => (output += d));
	child.stderr!.on('data', (d) => (output += d));
	await expect.poll(() => output.includes('HMI ready on') || child.exitCode !== null, { timeout: 30_000 }).toBe(true);
	expect(output).toContain('HMI ready on');
	return {
		dataDir,
		output: () => output,
		async stop() {
			if (child.exitCode === null) {
				const exited = new Promise((r) => child.once('exit', r));
				child.kill('SIGTERM');
				await exited;
			}
			fs.rmSync(dir, { recursive: true, force: true });
		}
	};
}
