import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../log';

/** A logger whose JSON lines a test can read back. */
export function captureLog(level = 'debug'): { log: Logger; lines: () => Record<string, unknown>[] } {
	const chunks: string[] = [];
	const sink = new Writable({
		write(chunk, _enc, done) {
			chunks.push(chunk.toString());
			done();
		}
	});
	const log = createLogger(level, sink);
	return {
		log,
		lines: () =>
			chunks
				.join('')
				.split('\n')
				.filter(Boolean)
				.map((l) => JSON.parse(l) as Record<string, unknown>)
	};
}
