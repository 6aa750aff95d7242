import { describe, expect, test } from 'vitest';
import { parseCli } from './cli.js';
import { DEFAULTS, MAX_SPEED, resolveOptions } from './options.js';

describe('parseCli', () => {
	test('no arguments: all defaults', () => {
		expect(resolveOptions({ ...(parseCli([]) as object), now: () => 5 })).toMatchObject({
			...DEFAULTS,
			startTimeMs: 5
		});
	});

	test('every option', () => {
		expect(
			parseCli([
				'--seed', '7',
				'--speed', '60',
				'--start', '2026-01-05T06:00:00Z',
				'--opcua-port', '48401',
				'--opcua-host', '0.0.0.0',
				'--mqtt-url', 'mqtt://127.0.0.1:1883',
				'--data-dir', '/tmp/x',
				'--no-mqtt',
				'--no-opcua'
			])
		).toEqual({
			seed: 7,
			speed: 60,
			startTime: '2026-01-05T06:00:00Z',
			opcuaPort: 48401,
			opcuaHost: '0.0.0.0',
			opcua: false,
			mqttUrl: 'mqtt://127.0.0.1:1883',
			mqtt: false,
			dataDir: '/tmp/x'
		});
	});

	test('--help', () => expect(parseCli(['-h'])).toBe('help'));

	test.each([[['--sped', '2']], [['--seed']], [['--speed', 'fast']], [['extra']], [['--opcua-port', '']]])(
		'refuses %j with one line',
		(argv) => {
			expect(() => parseCli(argv)).toThrow(expect.objectContaining({ code: 'SIM_ERR_BAD_OPTION' }));
			try {
				parseCli(argv);
			} catch (err) {
				expect((err as Error).message).not.toContain('\n');
			}
		}
	);
});

describe('resolveOptions', () => {
	test.each([
		{ seed: 1.5 },
		{ speed: 0 },
		{ speed: -1 },
		{ speed: MAX_SPEED + 1 },
		{ opcuaPort: 0 },
		{ opcuaPort: 70000 },
		{ mqttUrl: 'localhost:1883' },
		{ mqttUrl: 'http://localhost' },
		{ startTime: 'yesterday' },
		{ tickIntervalMs: 0 }
	])('refuses %j', (options) => {
		expect(() => resolveOptions(options)).toThrow(expect.objectContaining({ code: 'SIM_ERR_BAD_OPTION' }));
	});

	test('start time as ISO string, Date or epoch ms', () => {
		const ms = Date.UTC(2026, 0, 5, 6);
		for (const startTime of ['2026-01-05T06:00:00Z', new Date(ms), ms]) {
			expect(resolveOptions({ startTime }).startTimeMs).toBe(ms);
		}
	});
});
