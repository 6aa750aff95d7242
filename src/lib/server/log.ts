import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Paths that must never reach a log line: session tokens and cookies, passwords, MQTT credentials.
 * A test reads the logs to prove it.
 */
const REDACT = [
	'token',
	'*.token',
	'password',
	'*.password',
	'cookie',
	'*.cookie',
	'headers.cookie',
	'*.headers.cookie',
	'headers.authorization',
	'*.headers.authorization',
	'secret',
	'*.secret'
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
	return pino(
		{ level, redact: { paths: REDACT, censor: '[redacted]' }, base: { app: 'acme-hmi' } },
		destination ?? process.stdout
	);
}
