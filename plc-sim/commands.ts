/**
 * Fault-injection and test commands as they arrive: MQTT topic + JSON payload for line 2, OPC UA
 * method calls for line 1. Both end up as the same `Command` (checked against the machine it
 * targets) or `OrderCommand` (for the line's work order).
 */
import { z } from 'zod';
import type { SimProblem } from './errors.js';
import { AREA_PATH, ORDER, isLineId, isMachineId, type LineId, type MachineId } from './model/plant.js';
import { checkCommand, type Command, type OrderCommand } from './model/simulation.js';

/** Largest command payload accepted, bytes. */
export const MAX_COMMAND_BYTES = 1024;

/** Prefix of command topics: `cmd/<UNS path of the machine or of the line's order>/<command>`. */
export const COMMAND_TOPIC_PREFIX = 'cmd';

/** A command for a machine, or (`machine: null`) for the line's work order. */
export type ParsedCommand =
	| { ok: true; line: LineId; machine: MachineId; command: Command }
	| { ok: true; line: LineId; machine: null; command: OrderCommand }
	| { ok: false; problem: SimProblem };

/** MQTT subscription for the commands of one line. */
export function commandTopicFilter(line: LineId): string {
	return `${COMMAND_TOPIC_PREFIX}/${AREA_PATH}/${line}/+/+`;
}

/** e.g. `cmd/acme/utrecht/packaging/line2/capper/inject_fault`, `cmd/acme/utrecht/packaging/line2/order/complete_order`. */
export function commandTopic(line: LineId, machine: MachineId, command: Command['kind']): string;
export function commandTopic(line: LineId, target: typeof ORDER, command: OrderCommand['kind']): string;
export function commandTopic(line: LineId, target: string, command: string): string {
	return `${COMMAND_TOPIC_PREFIX}/${AREA_PATH}/${line}/${target}/${command}`;
}

const reasonCode = z.number().int().min(0).max(0xffffffff);
const tag = z.string().min(1).max(64);

const PAYLOADS = {
	inject_fault: z.object({ reason_code: reasonCode }).strict(),
	clear_fault: z.object({}).strict(),
	force_value: z.object({ tag, value: z.number().finite() }).strict(),
	release_value: z.object({ tag }).strict()
} as const;

type CommandName = keyof typeof PAYLOADS;

const ORDER_PAYLOADS = {
	complete_order: z.object({}).strict()
} as const;

/**
 * Parses an MQTT command.
 * @param topic e.g. `cmd/acme/utrecht/packaging/line2/capper/inject_fault`
 * @param payload JSON; empty means `{}`
 * @param line the only line this source accepts commands for
 */
export function parseMqttCommand(topic: string, payload: Uint8Array | string, line: LineId): ParsedCommand {
	const prefix = `${COMMAND_TOPIC_PREFIX}/${AREA_PATH}/`;
	if (!topic.startsWith(prefix)) return fail('SIM_ERR_BAD_TOPIC', `not a command topic: ${topic}`);
	const parts = topic.slice(prefix.length).split('/');
	if (parts.length !== 3) return fail('SIM_ERR_BAD_TOPIC', `expected ${prefix}<line>/<machine>/<command>, got ${topic}`);
	const [lineId, target, name] = parts;
	if (!isLineId(lineId) || lineId !== line) return fail('SIM_ERR_BAD_TOPIC', `this source takes commands for ${line} only, got "${lineId}"`);
	if (target === ORDER) {
		if (!Object.hasOwn(ORDER_PAYLOADS, name)) {
			return fail('SIM_ERR_UNKNOWN_COMMAND', `unknown order command "${name}" (${Object.keys(ORDER_PAYLOADS).join(', ')})`);
		}
		const data = parsePayload(name, ORDER_PAYLOADS[name as keyof typeof ORDER_PAYLOADS], payload);
		if (!data.ok) return data;
		return { ok: true, line: lineId, machine: null, command: { kind: 'complete_order' } };
	}
	if (!isMachineId(target)) return fail('SIM_ERR_UNKNOWN_MACHINE', `unknown machine "${target}"`);
	if (!Object.hasOwn(PAYLOADS, name)) {
		return fail('SIM_ERR_UNKNOWN_COMMAND', `unknown command "${name}" (${Object.keys(PAYLOADS).join(', ')})`);
	}
	const data = parsePayload(name, PAYLOADS[name as CommandName], payload);
	if (!data.ok) return data;
	return checked(lineId, target, toCommand(name as CommandName, data.value));
}

/** Size, JSON and shape of a command payload; empty means `{}`. */
function parsePayload(
	name: string,
	schema: z.ZodType<Record<string, unknown>>,
	payload: Uint8Array | string
): { ok: true; value: Record<string, unknown> } | { ok: false; problem: SimProblem } {
	const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength;
	if (size > MAX_COMMAND_BYTES) return fail('SIM_ERR_BAD_PAYLOAD', `payload of ${size} bytes exceeds ${MAX_COMMAND_BYTES}`);
	const text = (typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8')).trim();
	let json: unknown;
	try {
		json = text === '' ? {} : JSON.parse(text);
	} catch {
		return fail('SIM_ERR_BAD_PAYLOAD', `${name}: payload is not JSON`);
	}
	const parsed = schema.safeParse(json);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
		return fail('SIM_ERR_BAD_PAYLOAD', `${name}: ${where}${issue.message}`);
	}
	return { ok: true, value: parsed.data };
}

function toCommand(name: CommandName, data: Record<string, unknown>): Command {
	switch (name) {
		case 'inject_fault':
			return { kind: 'inject_fault', reasonCode: data.reason_code as number };
		case 'clear_fault':
			return { kind: 'clear_fault' };
		case 'force_value':
			return { kind: 'force_value', tag: data.tag as string, value: data.value as number };
		case 'release_value':
			return { kind: 'release_value', tag: data.tag as string };
	}
}

/** OPC UA methods on every machine object, with their input arguments. */
export const METHODS = {
	InjectFault: [{ name: 'reasonCode', type: 'UInt32', description: 'Fault reason code (201–205, or another 2xx)' }],
	ClearFault: [],
	ForceValue: [
		{ name: 'tag', type: 'String', description: 'Process value to hold, e.g. product_temperature' },
		{ name: 'value', type: 'Double', description: 'Value to hold until released' }
	],
	ReleaseValue: [{ name: 'tag', type: 'String', description: 'Process value to release' }]
} as const;

export type MethodName = keyof typeof METHODS;

/** OPC UA methods on each line's `order` object. */
export const ORDER_METHODS = {
	CompleteOrder: []
} as const;

export type OrderMethodName = keyof typeof ORDER_METHODS;

/**
 * Turns an OPC UA method call into a command.
 * @param args the input argument values, in declaration order
 */
export function parseMethodCall(line: LineId, machine: MachineId, method: MethodName, args: readonly unknown[]): ParsedCommand {
	const expected = METHODS[method];
	if (args.length !== expected.length) {
		return fail('SIM_ERR_BAD_PAYLOAD', `${method} takes ${expected.length} argument(s), got ${args.length}`);
	}
	const [a, b] = args;
	switch (method) {
		case 'InjectFault':
			if (typeof a !== 'number' || !Number.isInteger(a)) return fail('SIM_ERR_BAD_PAYLOAD', 'reasonCode must be an integer');
			return checked(line, machine, { kind: 'inject_fault', reasonCode: a });
		case 'ClearFault':
			return checked(line, machine, { kind: 'clear_fault' });
		case 'ForceValue':
			if (typeof a !== 'string') return fail('SIM_ERR_BAD_PAYLOAD', 'tag must be a string');
			if (typeof b !== 'number') return fail('SIM_ERR_BAD_PAYLOAD', 'value must be a number');
			return checked(line, machine, { kind: 'force_value', tag: a, value: b });
		case 'ReleaseValue':
			if (typeof a !== 'string') return fail('SIM_ERR_BAD_PAYLOAD', 'tag must be a string');
			return checked(line, machine, { kind: 'release_value', tag: a });
	}
}

/** Turns an OPC UA method call on a line's `order` object into a command. */
export function parseOrderMethodCall(line: LineId, method: OrderMethodName, args: readonly unknown[]): ParsedCommand {
	const expected = ORDER_METHODS[method];
	if (args.length !== expected.length) {
		return fail('SIM_ERR_BAD_PAYLOAD', `${method} takes ${expected.length} argument(s), got ${args.length}`);
	}
	switch (method) {
		case 'CompleteOrder':
			return { ok: true, line, machine: null, command: { kind: 'complete_order' } };
	}
}

function checked(line: LineId, machine: MachineId, command: Command): ParsedCommand {
	const problem = checkCommand(machine, command);
	return problem ? { ok: false, problem } : { ok: true, line, machine, command };
}

function fail(code: SimProblem['code'], message: string): { ok: false; problem: SimProblem } {
	return { ok: false, problem: { code, message } };
}
