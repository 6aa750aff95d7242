/**
 * Setpoint writes over MQTT: `cmd/<area>/<line>/<machine>/setpoint/<id>` with `{"value": 550, "timestamp_ms": …}`.
 * A topic of their own (one level deeper than fault commands) so the setpoint id is in the topic, as its tag is.
 */
import { z } from 'zod';
import { COMMAND_TOPIC_PREFIX, MAX_COMMAND_BYTES } from './commands.js';
import type { SimProblem } from './errors.js';
import { AREA_PATH, isMachineId, type LineId, type MachineId } from './model/plant.js';
import { checkSetpoint } from './model/setpoints.js';

export const SETPOINT_SEGMENT = 'setpoint';

/**
 * Oldest setpoint write the simulator still applies, by its `timestamp_ms` (stamped by the HMI when it sends), ms.
 * The HMI reports a write as failed when the broker has not acknowledged it within 5 s; a copy that turns up
 * later (a client re-sending after a reconnect, a broker's queue) must not change the machine behind the
 * operator's back. Needs the clocks of HMI and simulator to agree to well within this (NTP). Writes without
 * `timestamp_ms` (by hand, e.g. mosquitto_pub) are not age-checked.
 */
export const MAX_SETPOINT_COMMAND_AGE_MS = 5000;

/** MQTT subscription for the setpoint writes of one line. */
export function setpointTopicFilter(line: LineId): string {
	return `${COMMAND_TOPIC_PREFIX}/${AREA_PATH}/${line}/+/${SETPOINT_SEGMENT}/+`;
}

/** e.g. `cmd/acme/utrecht/packaging/line2/filler/setpoint/product_temperature_setpoint`. */
export function setpointTopic(line: LineId, machine: MachineId, id: string): string {
	return `${COMMAND_TOPIC_PREFIX}/${AREA_PATH}/${line}/${machine}/${SETPOINT_SEGMENT}/${id}`;
}

export function isSetpointTopic(topic: string): boolean {
	return topic.split('/').at(-2) === SETPOINT_SEGMENT;
}

const payloadSchema = z.object({ value: z.number().finite(), timestamp_ms: z.number().optional() }).strict();

export type ParsedSetpoint = { ok: true; machine: MachineId; id: string; value: number } | { ok: false; problem: SimProblem };

/**
 * Parses a setpoint write for `line`; checks it against the machine's limits.
 * @param nowMs when given, a write stamped more than MAX_SETPOINT_COMMAND_AGE_MS before it is refused as stale
 */
export function parseSetpointCommand(topic: string, payload: Uint8Array | string, line: LineId, nowMs?: number): ParsedSetpoint {
	const prefix = `${COMMAND_TOPIC_PREFIX}/${AREA_PATH}/${line}/`;
	const fail = (code: SimProblem['code'], message: string): ParsedSetpoint => ({ ok: false, problem: { code, message } });
	if (!topic.startsWith(prefix)) return fail('SIM_ERR_BAD_TOPIC', `not a setpoint topic of ${line}: ${topic}`);
	const parts = topic.slice(prefix.length).split('/');
	if (parts.length !== 3 || parts[1] !== SETPOINT_SEGMENT) return fail('SIM_ERR_BAD_TOPIC', `expected ${prefix}<machine>/setpoint/<id>, got ${topic}`);
	const [machine, , id] = parts;
	if (!isMachineId(machine)) return fail('SIM_ERR_UNKNOWN_MACHINE', `unknown machine "${machine}"`);
	const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength;
	if (size > MAX_COMMAND_BYTES) return fail('SIM_ERR_BAD_PAYLOAD', `payload of ${size} bytes exceeds ${MAX_COMMAND_BYTES}`);
	let json: unknown;
	try {
		json = JSON.parse(typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8'));
	} catch {
		return fail('SIM_ERR_BAD_PAYLOAD', 'setpoint: payload is not JSON');
	}
	const parsed = payloadSchema.safeParse(json);
	if (!parsed.success) return fail('SIM_ERR_BAD_PAYLOAD', `setpoint: ${parsed.error.issues[0].path.join('.') || 'payload'}: ${parsed.error.issues[0].message}`);
	const stampedAt = parsed.data.timestamp_ms;
	if (nowMs !== undefined && stampedAt !== undefined && nowMs - stampedAt > MAX_SETPOINT_COMMAND_AGE_MS)
		return fail('SIM_ERR_BAD_PAYLOAD', `setpoint: stale command, sent ${nowMs - stampedAt} ms ago (limit ${MAX_SETPOINT_COMMAND_AGE_MS} ms); not applied`);
	const problem = checkSetpoint(machine, id, parsed.data.value);
	if (problem) return { ok: false, problem };
	return { ok: true, machine, id, value: parsed.data.value };
}

/**
 * Parses and applies one MQTT setpoint write (unless it is stale); logs what happened on one line.
 * @param nowMs wall-clock time of arrival, epoch ms (the HMI stamps with its wall clock too)
 */
export function handleSetpoint(
	topic: string,
	payload: Uint8Array | string,
	line: LineId,
	apply: (machine: MachineId, id: string, value: number) => SimProblem | null,
	log: (line: string) => void,
	nowMs: number = Date.now()
): void {
	const parsed = parseSetpointCommand(topic, payload, line, nowMs);
	const problem = parsed.ok ? apply(parsed.machine, parsed.id, parsed.value) : parsed.problem;
	if (problem) log(`mqtt: refused setpoint on ${topic}: ${problem.message} [${problem.code}]`);
	else if (parsed.ok) log(`mqtt: setpoint ${line}/${parsed.machine}/${parsed.id} = ${parsed.value}`);
}
