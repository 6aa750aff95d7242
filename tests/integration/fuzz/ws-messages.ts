import type { ErrorCode } from '../../../src/lib/shared/protocol';
import { CloseCode } from '../../../src/lib/shared/protocol';
import { Random } from './random';

/**
 * Malformed client frames by class, and what the hub must answer: an `error` frame with a stable code
 * (the socket stays open until too many of them), or a close (1009 oversize, 1008 abuse).
 */
export const WS_FUZZ_CLASSES = {
	'bad-json': { error: 'HMI_ERR_BAD_MESSAGE' },
	'non-object': { error: 'HMI_ERR_BAD_MESSAGE' },
	'unknown-type': { error: 'HMI_ERR_UNKNOWN_TYPE' },
	'wrong-shape': { error: 'HMI_ERR_BAD_MESSAGE' },
	'huge-numbers': { error: 'HMI_ERR_BAD_MESSAGE' },
	'bad-pattern': { error: 'HMI_ERR_BAD_PATTERN' },
	'unknown-subscription': { error: 'HMI_ERR_UNKNOWN_SUBSCRIPTION' },
	binary: { error: 'HMI_ERR_BAD_MESSAGE' },
	oversize: { close: CloseCode.TooBig },
	flood: { close: CloseCode.Policy }
} as const satisfies Record<string, { error: ErrorCode } | { close: number }>;

export type WsFuzzClass = keyof typeof WS_FUZZ_CLASSES;
export type ErrorClass = { [K in WsFuzzClass]: (typeof WS_FUZZ_CLASSES)[K] extends { error: ErrorCode } ? K : never }[WsFuzzClass];
export const WS_ERROR_CLASSES = (Object.keys(WS_FUZZ_CLASSES) as WsFuzzClass[]).filter((c) => 'error' in WS_FUZZ_CLASSES[c]) as ErrorClass[];

export type WsFuzzCase =
	| { cls: ErrorClass; frame: string | Buffer }
	| { cls: 'oversize'; frame: string }
	/** One socket sending `frames` pings back to back, more than the rate limit's burst allows. */
	| { cls: 'flood'; frame: string; frames: number };

export interface WsFuzzOptions {
	seed: number;
	/** Cases of the classes answered with an error frame (mixed in random order). */
	errorCases: number;
	oversizeCases: number;
	floodCases: number;
	/** The server's maxPayload in bytes: oversize frames go above it. */
	maxPayloadBytes: number;
	/** The rate limit's burst: a flood sends more frames than this. */
	messageBurst: number;
}

/** Deterministic for a seed. Pure. */
export function wsFuzzCases(opts: WsFuzzOptions): WsFuzzCase[] {
	const rnd = new Random(opts.seed);
	const cases: WsFuzzCase[] = [];
	for (let i = 0; i < opts.errorCases; i++) {
		const cls = WS_ERROR_CLASSES[i % WS_ERROR_CLASSES.length];
		cases.push({ cls, frame: errorFrameOf(cls, rnd) });
	}
	for (let i = cases.length - 1; i > 0; i--) {
		const j = rnd.int(0, i);
		[cases[i], cases[j]] = [cases[j], cases[i]];
	}
	for (let i = 0; i < opts.oversizeCases; i++) {
		const size = rnd.int(opts.maxPayloadBytes + 1, opts.maxPayloadBytes * 4);
		cases.push({ cls: 'oversize', frame: JSON.stringify({ type: 'sub', id: 1, patterns: ['x'.repeat(size)] }) });
	}
	for (let i = 0; i < opts.floodCases; i++) cases.push({ cls: 'flood', frame: '{"type":"ping"}', frames: opts.messageBurst + rnd.int(50, 200) });
	return cases;
}

/**
 * Types named like keys of Object.prototype. A lookup with `in` on a plain object finds them; the hub once
 * threw on these (and the throw ended the process), so they stay in the fuzz and have their own test.
 */
export const PROTOTYPE_KEY_TYPES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'] as const;

const sub = (rnd: Random) => ({ type: 'sub', id: rnd.int(0, 1000), patterns: ['acme/#'] });

function errorFrameOf(cls: ErrorClass, rnd: Random): string | Buffer {
	switch (cls) {
		case 'bad-json': {
			const good = JSON.stringify(sub(rnd));
			return rnd.pick([good.slice(0, rnd.int(0, good.length - 1)), `{type:'sub'}`, '{"type":"ping",}', '\u0000\u0001', 'undefined', 'NaN', '{"a":1}{"b":2}', '']);
		}
		case 'non-object':
			return rnd.pick(['1', '"sub"', 'null', 'true', '[]', `[${JSON.stringify(sub(rnd))}]`, '-0', '1e400']);
		case 'unknown-type':
			return JSON.stringify(
				rnd.pick<Record<string, unknown>>([
					{ type: 'teleport' },
					{ type: rnd.word(rnd.int(1, 30)) },
					{ type: 7, id: 1 },
					{ type: null },
					{ id: 3 },
					{ type: 'SUB', id: 1, patterns: ['acme/#'] },
					{ type: ['sub'] },
					{ type: rnd.pick(PROTOTYPE_KEY_TYPES), id: 1 }
				])
			);
		case 'wrong-shape':
			return JSON.stringify(
				rnd.pick<Record<string, unknown>>([
					{ type: 'sub', id: 'one', patterns: ['acme/#'] },
					{ type: 'sub', id: 1, patterns: 'acme/#' },
					{ type: 'sub', id: 1, patterns: [] },
					{ type: 'sub', id: 1 },
					{ type: 'sub', id: 1, patterns: [1, 2] },
					{ type: 'sub', id: 1.5, patterns: ['acme/#'] },
					{ type: 'sub', id: -1, patterns: ['acme/#'] },
					{ type: 'sub', id: 1, patterns: Array.from({ length: 33 }, (_, i) => `acme/${i}`) },
					{ type: 'unsub' },
					{ type: 'unsub', id: { x: 1 } },
					{ type: 'ping', id: 'x' }
				])
			);
		case 'huge-numbers':
			return rnd.pick([
				'{"type":"sub","id":1e308,"patterns":["acme/#"]}',
				'{"type":"sub","id":1e999,"patterns":["acme/#"]}',
				'{"type":"unsub","id":9007199254740993}',
				'{"type":"ping","id":-1e308}',
				`{"type":"sub","id":${2 ** 31},"patterns":["acme/#"]}`,
				`{"type":"unsub","id":${'9'.repeat(rnd.int(20, 400))}}`
			]);
		case 'bad-pattern':
			return JSON.stringify({
				type: 'sub',
				id: rnd.int(0, 1000),
				patterns: ['acme/#', rnd.pick(['acme/#/line1', 'acme/line+/x', 'a#', '', 'acme/\u0000', '#/x', 'acme/++'])]
			});
		case 'unknown-subscription':
			return JSON.stringify({ type: 'unsub', id: rnd.int(0, 2 ** 31 - 1) });
		case 'binary':
			return rnd.bytes(rnd.int(1, 512));
	}
}
