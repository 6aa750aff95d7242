// Running bench processes: each load generator, client swarm and the server under test is its own
// Node process, so they don't share a CPU core's event loop with what they measure.
import { spawn, type ChildProcess } from 'node:child_process';

export interface BenchChild {
	readonly process: ChildProcess;
	/** Sends `message` and resolves with the first reply of type `replyType`. */
	request<T>(message: object, replyType: string, timeoutMs?: number): Promise<T>;
	/** Resolves with the next message of `type` (e.g. 'ready'). */
	next<T>(type: string, timeoutMs?: number): Promise<T>;
	stop(): Promise<void>;
}

/** Starts `bench/proc/<file>` under tsx with an IPC channel; `config` reaches it as argv[2] (JSON). */
export function startChild(file: string, config: object): BenchChild {
	const child = spawn(process.execPath, ['--import', 'tsx', file, JSON.stringify(config)], {
		stdio: ['ignore', 'inherit', 'inherit', 'ipc']
	});
	const waiting: { type: string; resolve: (m: never) => void }[] = [];
	child.on('message', (message: { type: string }) => {
		const i = waiting.findIndex((w) => w.type === message.type);
		if (i >= 0) waiting.splice(i, 1)[0].resolve(message as never);
	});
	const next = <T>(type: string, timeoutMs = 60_000) =>
		new Promise<T>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`${file}: no '${type}' within ${timeoutMs} ms`)), timeoutMs);
			const onExit = (code: number | null) => reject(new Error(`${file} exited (${code}) while waiting for '${type}'`));
			child.once('exit', onExit);
			waiting.push({
				type,
				resolve: (m) => {
					clearTimeout(timer);
					child.off('exit', onExit);
					resolve(m as T);
				}
			});
		});
	return {
		process: child,
		next,
		request<T>(message: object, replyType: string, timeoutMs?: number) {
			const reply = next<T>(replyType, timeoutMs);
			child.send(message);
			return reply;
		},
		stop() {
			if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
			return new Promise<void>((resolve) => {
				const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
				child.once('exit', () => {
					clearTimeout(kill);
					resolve();
				});
				child.send({ type: 'stop' });
			});
		}
	};
}

/** For a child: sends a message to the bench parent. */
export function tell(message: { type: string; [key: string]: unknown }): void {
	process.send?.(message);
}

/** For a child: its config (argv[2]). */
export function configOf<T>(): T {
	return JSON.parse(process.argv[2] ?? '{}') as T;
}
