/**
 * Starts the demo stack (HMI + PLC simulator, scripts/demo.js, from the existing build) on free ports with a
 * fresh data folder and waits until /healthz answers. Used by the browser tests' global setup and by the
 * benchmarks that need the real app in a real browser.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** How long the stack may take to print its ready line (first OPC UA start-up creates certificates). */
const READY_TIMEOUT_MS = 120_000;
/** How long /healthz may take to answer OK after the ready line. */
const HEALTH_TIMEOUT_MS = 60_000;
/** Grace period for a clean stop before the process group is killed. */
const STOP_GRACE_MS = 10_000;

export const ROOT = resolve(import.meta.dirname, '..');

export interface DemoStack {
	baseURL: string;
	/**
	 * The HMI's embedded broker, with the HMI account's user name and password in the URL (the broker lets
	 * nobody in without an account); the simulator takes line 2's commands there.
	 */
	mqttUrl: string;
	stop(): Promise<void>;
}

export interface DemoStackOptions {
	/** Where the stack's output goes. */
	logFile: string;
	/** Extra environment for demo.js (e.g. SIM_SEED). */
	env?: Record<string, string>;
}

/** A port that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
	return new Promise((ok, fail) => {
		const srv = createServer();
		srv.unref();
		srv.on('error', fail);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			srv.close(() => (addr && typeof addr === 'object' ? ok(addr.port) : fail(new Error('no port'))));
		});
	});
}

export async function startDemoStack(options: DemoStackOptions): Promise<DemoStack> {
	const [port, mqttPort, opcuaPort] = [await freePort(), await freePort(), await freePort()];
	const dataDir = mkdtempSync(join(tmpdir(), 'hmi-demo-'));
	mkdirSync(dirname(options.logFile), { recursive: true });
	const log = createWriteStream(options.logFile);

	const child = spawn(process.execPath, ['scripts/demo.js'], {
		cwd: ROOT,
		env: {
			...process.env,
			PORT: String(port),
			MQTT_PORT: String(mqttPort),
			OPCUA_PORT: String(opcuaPort),
			DATA_DIR: dataDir,
			SKIP_BUILD: '1',
			...options.env
		},
		// Own process group, so stop() can end demo.js and everything it started in one go.
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const tail: string[] = [];
	const keep = (chunk: Buffer) => {
		log.write(chunk);
		tail.push(...chunk.toString().split('\n').filter(Boolean));
		tail.splice(0, Math.max(0, tail.length - 40));
	};
	child.stdout?.on('data', keep);
	child.stderr?.on('data', keep);

	const stop = async () => {
		await stopGroup(child);
		log.end();
		rmSync(dataDir, { recursive: true, force: true });
	};
	try {
		const baseURL = await waitForReady(child, tail);
		await waitForHealth(baseURL);
		return { baseURL, mqttUrl: brokerUrlAs(dataDir, mqttPort, 'hmi'), stop };
	} catch (err) {
		await stop();
		throw err;
	}
}

/** The embedded broker's URL with an account's credentials, from the accounts file the HMI wrote into its data folder. */
function brokerUrlAs(dataDir: string, port: number, account: string): string {
	const { accounts } = JSON.parse(readFileSync(join(dataDir, 'mqtt-accounts.json'), 'utf8')) as { accounts: Record<string, { password: string }> };
	return `mqtt://${account}:${encodeURIComponent(accounts[account].password)}@127.0.0.1:${port}`;
}

function waitForReady(child: ChildProcess, tail: string[]): Promise<string> {
	return new Promise((ok, fail) => {
		const timer = setTimeout(
			() => fail(new Error(`stack not ready after ${READY_TIMEOUT_MS / 1000} s:\n${tail.join('\n')}`)),
			READY_TIMEOUT_MS
		);
		let rest = '';
		child.stdout?.on('data', (chunk: Buffer) => {
			const lines = (rest + chunk.toString()).split('\n');
			rest = lines.pop() ?? '';
			for (const line of lines) {
				const m = /HMI ready on (http:\/\/[^\s]+)/.exec(line);
				if (m) {
					clearTimeout(timer);
					ok(m[1].replace(/\/$/, ''));
				}
			}
		});
		child.once('exit', (code, signal) => {
			clearTimeout(timer);
			fail(new Error(`stack exited (${signal ?? `code ${code}`}) before it was ready:\n${tail.join('\n')}`));
		});
	});
}

async function waitForHealth(baseURL: string): Promise<void> {
	const deadline = Date.now() + HEALTH_TIMEOUT_MS;
	let last = '';
	while (Date.now() < deadline) {
		try {
			const res = await fetch(`${baseURL}/healthz`);
			if (res.ok) return;
			last = `HTTP ${res.status}`;
		} catch (err) {
			last = String(err);
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	throw new Error(`${baseURL}/healthz did not answer OK within ${HEALTH_TIMEOUT_MS / 1000} s (${last})`);
}

function stopGroup(child: ChildProcess): Promise<void> {
	return new Promise((done) => {
		if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return done();
		const pid = child.pid;
		const kill = (signal: NodeJS.Signals) => {
			try {
				process.kill(-pid, signal); // the whole group: demo.js and the HMI and simulator it started
			} catch {
				/* already gone */
			}
		};
		const force = setTimeout(() => kill('SIGKILL'), STOP_GRACE_MS);
		child.once('exit', () => {
			clearTimeout(force);
			// Anything of the group still around (a child that ignored SIGTERM) goes now.
			kill('SIGKILL');
			done();
		});
		kill('SIGTERM');
	});
}
