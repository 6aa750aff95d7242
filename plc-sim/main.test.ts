import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { freePort, tempDir } from './test/helpers.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const children: ChildProcess[] = [];

/** Starts the CLI with node directly (not npx), so the pid is the simulator's. */
function cli(args: string[]): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
	const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
	children.push(child);
	let out = '';
	child.stdout!.on('data', (d) => (out += d));
	child.stderr!.on('data', (d) => (out += d));
	const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	return { child, output: () => out, exit };
}

afterEach(() => {
	for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

test.each([
	[['--speed', 'fast'], '--speed must be a number, got "fast"'],
	[['--speed', '0'], 'speed must be > 0'],
	[['--colour'], "Unknown option '--colour'"]
])('invalid options %j: a one-line error, exit 1', async (args, message) => {
	const run = cli(args);
	expect(await run.exit).toBe(1);
	const lines = run.output().trim().split('\n');
	expect(lines).toHaveLength(1);
	expect(lines[0]).toMatch(/^plc-sim: .*\[SIM_ERR_BAD_OPTION\] \(see --help\)$/);
	expect(lines[0]).toContain(message);
});

test('a taken OPC UA port: a clear error, exit 1', async () => {
	const blocker = net.createServer();
	await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
	const port = (blocker.address() as net.AddressInfo).port;
	const tmp = await tempDir('plc-sim-cli-');
	try {
		const run = cli(['--no-mqtt', '--opcua-port', String(port), '--data-dir', tmp.dir]);
		expect(await run.exit).toBe(1);
		expect(run.output()).toContain(`plc-sim: OPC UA port ${port} is already in use (EADDRINUSE) [SIM_ERR_PORT_IN_USE]`);
	} finally {
		blocker.close();
		await tmp.remove();
	}
});

test('SIGTERM stops it cleanly', async () => {
	// The ready line is the last line of start-up.
	const tmp = await tempDir('plc-sim-cli-');
	try {
		const port = await freePort();
		const run = cli(['--no-mqtt', '--opcua-port', String(port), '--data-dir', tmp.dir]);
		const deadline = Date.now() + 20_000;
		while (!run.output().includes('plc-sim: seed') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
		expect(run.output()).toContain(`opc.tcp://127.0.0.1:${port}/UA/plc-sim`);
		run.child.kill('SIGTERM');
		expect(await run.exit).toBe(0);
		expect(run.output()).toContain('plc-sim: SIGTERM, stopping');
		expect(run.output()).toContain('opcua: stopped');
	} finally {
		await tmp.remove();
	}
});
