import { describe, expect, test } from 'vitest';
import { MAX_SETPOINT_COMMAND_AGE_MS, handleSetpoint, parseSetpointCommand, setpointTopic } from './setpoint-commands.js';

const topic = setpointTopic('line2', 'filler', 'product_temperature_setpoint');
const NOW = Date.UTC(2026, 10, 24, 6, 0, 0);

describe('stale setpoint writes are not applied', () => {
	test.each([
		['sent just now', 0, 'applied'],
		['sent 4.999 s ago', 4999, 'applied'],
		['sent exactly 5 s ago (the limit)', MAX_SETPOINT_COMMAND_AGE_MS, 'applied'],
		['sent 5.001 s ago', 5001, 'refused'],
		['re-sent 60 s later after a reconnect', 60_000, 'refused'],
		// Clocks a little apart: the HMI's stamp is ahead of ours.
		['stamped 0.2 s in the future', -200, 'applied']
	])('%s (age %i ms) → %s', (_case, ageMs, outcome) => {
		const applied: number[] = [];
		const logged: string[] = [];
		const payload = JSON.stringify({ value: 7.5, timestamp_ms: NOW - ageMs });
		handleSetpoint(topic, payload, 'line2', (_m, _id, value) => (applied.push(value), null), (l) => logged.push(l), NOW);
		expect(applied).toEqual(outcome === 'applied' ? [7.5] : []);
		if (outcome === 'refused') expect(logged[0]).toMatch(new RegExp(`stale command, sent ${ageMs} ms ago.*SIM_ERR_BAD_PAYLOAD`));
	});

	test('a write without timestamp_ms (by hand) is not age-checked', () => {
		expect(parseSetpointCommand(topic, '{"value":7.5}', 'line2', NOW)).toMatchObject({ ok: true, value: 7.5 });
	});

	test('without a time of arrival nothing is age-checked (parsing alone)', () => {
		expect(parseSetpointCommand(topic, '{"value":7.5,"timestamp_ms":1}', 'line2')).toMatchObject({ ok: true });
	});
});
