import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CloseCode, type ServerMessage } from '../../src/lib/shared/protocol';
import { DEFAULT_HUB_LIMITS } from '../../src/lib/server/hub/hub';
import { parseClientMessage } from '../../src/lib/server/hub/messages';
import { settledHeapMb } from './fuzz/memory';
import { PROTOTYPE_KEY_TYPES, WS_FUZZ_CLASSES, wsFuzzCases, type WsFuzzCase, type WsFuzzClass } from './fuzz/ws-messages';
import { startHmi, TEST_ORIGIN, waitFor, type TestHmi } from './harness';

// 10,000 malformed client frames over real sockets to a running HMI. A socket closed by policy is replaced
// by a new one, as an attacker would do. The process must live, answer each frame as defined, and not grow.
const MAX_PAYLOAD_KB = 4;
const { maxErrors, messageBurst } = DEFAULT_HUB_LIMITS;
const HEAP_BOUND_MB = 20;
const CONCURRENT_SOCKETS = 4;

let hmi: TestHmi;
beforeAll(async () => {
	hmi = await startHmi({ WS_MAX_PAYLOAD_KB: String(MAX_PAYLOAD_KB) });
});
afterAll(() => hmi?.stop());

interface SocketRun {
	cases: WsFuzzCase[];
	errors: string[];
	pongs: number;
	close?: { code: number; reason: string };
	timedOut?: boolean;
}

/** One socket: sends the cases' frames, collects the answers until the server closes or all errors are in. */
function runSocket(cases: WsFuzzCase[], expectedErrors: number): Promise<SocketRun> {
	return new Promise((resolve) => {
		const run: SocketRun = { cases, errors: [], pongs: 0 };
		const ws = new WebSocket(hmi.wsUrl, { origin: TEST_ORIGIN, headers: { cookie: `hmi_session=${hmi.token}` } });
		let done = false;
		const finish = () => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			ws.terminate();
			resolve(run);
		};
		const timer = setTimeout(() => ((run.timedOut = true), finish()), 10_000);
		ws.on('open', () => {
			for (const c of cases) {
				if (c.cls === 'flood') for (let i = 0; i < c.frames; i++) ws.send(c.frame);
				else ws.send(c.frame, { binary: Buffer.isBuffer(c.frame) });
			}
		});
		ws.on('message', (data) => {
			const msg = JSON.parse(data.toString()) as ServerMessage;
			if (msg.type === 'error') run.errors.push(msg.code);
			if (msg.type === 'pong') run.pongs++;
			if (expectedErrors > 0 && run.errors.length === expectedErrors && expectedErrors <= maxErrors) finish();
		});
		ws.on('close', (code, reason) => {
			if (done) return;
			run.close = { code, reason: reason.toString() };
			finish();
		});
		ws.on('error', () => {});
	});
}

/** Error cases go in groups of maxErrors + 1 (the last one earns the 1008); closing cases get a socket each. */
function socketsFor(cases: WsFuzzCase[]): WsFuzzCase[][] {
	const groups: WsFuzzCase[][] = [];
	let current: WsFuzzCase[] = [];
	for (const c of cases) {
		if ('close' in WS_FUZZ_CLASSES[c.cls]) groups.push([c]);
		else {
			current.push(c);
			if (current.length === maxErrors + 1) { groups.push(current); current = []; }
		}
	}
	if (current.length > 0) groups.push(current);
	return groups;
}

async function runAll(cases: WsFuzzCase[]): Promise<SocketRun[]> {
	const groups = socketsFor(cases);
	const runs: SocketRun[] = [];
	let next = 0;
	await Promise.all(
		Array.from({ length: CONCURRENT_SOCKETS }, async () => {
			while (next < groups.length) {
				const group = groups[next++];
				const errorCases = group.filter((c) => 'error' in WS_FUZZ_CLASSES[c.cls]).length;
				runs.push(await runSocket(group, errorCases));
			}
		})
	);
	return runs;
}

describe('fuzzed WebSocket messages', () => {
	test('10,000 malformed frames: each gets its error code or close, the server lives on, memory stays flat', async () => {
		const opts = { maxPayloadBytes: MAX_PAYLOAD_KB * 1024, messageBurst };
		await runAll(wsFuzzCases({ ...opts, seed: 1, errorCases: 420, oversizeCases: 20, floodCases: 10 }));
		const heapBefore = await settledHeapMb();
		const statsBefore = hmi.runtime.hub.stats();

		const cases = wsFuzzCases({ ...opts, seed: 20261124, errorCases: 9_200, oversizeCases: 500, floodCases: 300 });
		const started = Date.now();
		const runs = await runAll(cases);
		const elapsedMs = Date.now() - started;
		const heapAfter = await settledHeapMb();

		for (const run of runs) {
			expect(run.timedOut).toBeUndefined();
			const expectedCodes = run.cases.flatMap((c) => {
				const rule = WS_FUZZ_CLASSES[c.cls];
				return 'error' in rule ? [rule.error] : [];
			});
			// Frames on one socket are answered in order, so the codes line up with the cases one to one.
			expect(run.errors).toEqual(expectedCodes);
			const only = run.cases[0];
			if (only.cls === 'oversize') expect(run.close?.code).toBe(CloseCode.TooBig);
			else if (only.cls === 'flood') {
				expect(run.close).toEqual({ code: CloseCode.Policy, reason: 'message rate limit exceeded' });
				expect(run.pongs).toBeLessThan(only.frames);
			} else if (run.cases.length > maxErrors) expect(run.close).toEqual({ code: CloseCode.Policy, reason: 'too many bad messages' });
			else expect(run.close).toBeUndefined();
		}

		// Alive and serving: a well-behaved client subscribes and is answered.
		const client = hmi.connect();
		await client.subscribe(['_sys/#']);
		expect(client.values.get('_sys/sources/mqtt/state')?.value).toBe('connected');
		client.send({ type: 'ping', id: 42 });
		await waitFor(() => client.messages.some((m) => m.type === 'pong' && m.id === 42), 'pong');

		const counts = new Map<WsFuzzClass, number>();
		for (const c of cases) counts.set(c.cls, (counts.get(c.cls) ?? 0) + 1);
		for (const [cls, n] of counts) {
			const rule = WS_FUZZ_CLASSES[cls];
			console.log(`[measure] fuzz WS ${cls}: ${n} ${cls === 'flood' ? 'floods' : 'frames'} → ${'error' in rule ? `error ${rule.error}` : `close ${rule.close}`}`);
		}
		const floodFrames = cases.reduce((sum, c) => sum + (c.cls === 'flood' ? c.frames : 0), 0);
		const stats = hmi.runtime.hub.stats();
		console.log(
			`[measure] fuzz WS: ${cases.length} cases (${floodFrames} frames in the floods) on ${runs.length} sockets in ${elapsedMs} ms; ` +
				`${stats.badMessages - statsBefore.badMessages} bad messages, ${stats.closedForAbuse - statsBefore.closedForAbuse} closed for abuse; ` +
				`heap after GC ${heapBefore.toFixed(1)} MB before, ${heapAfter.toFixed(1)} MB after (bound +${HEAP_BOUND_MB} MB)`
		);
		expect(heapAfter - heapBefore).toBeLessThan(HEAP_BOUND_MB);
	}, 120_000);

	// Found by this fuzz: `type in schemas` was true for Object.prototype keys, so `{"type":"constructor"}`
	// threw instead of returning HMI_ERR_UNKNOWN_TYPE, and over a socket the throw ended the process.
	test('a type named like an Object.prototype key is answered HMI_ERR_UNKNOWN_TYPE', () => {
		for (const type of PROTOTYPE_KEY_TYPES) {
			const parsed = parseClientMessage(JSON.stringify({ type, id: 1 }));
			expect(parsed).toMatchObject({ ok: false, code: 'HMI_ERR_UNKNOWN_TYPE' });
		}
	});
});
