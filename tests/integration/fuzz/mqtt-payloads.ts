import { Random, spread } from './random';

/**
 * Malformed MQTT input by class, and what the server must do with each (see parsePayload):
 * `malformed` = the tag turns Bad and the source counts the reason; `accepted` = stored as sent, Good.
 */
export const MQTT_FUZZ_CLASSES = {
	binary: { outcome: 'malformed', reason: 'not-utf8' },
	'invalid-utf8': { outcome: 'malformed', reason: 'not-utf8' },
	'control-characters': { outcome: 'malformed', reason: 'not-utf8' },
	huge: { outcome: 'malformed', reason: 'too-large' },
	'deeply-nested': { outcome: 'malformed', reason: 'too-deep' },
	'nan-infinity': { outcome: 'malformed', reason: 'bad-json' },
	'bad-json': { outcome: 'malformed', reason: 'bad-json' },
	'bad-timestamp': { outcome: 'malformed', reason: 'bad-timestamp' },
	'bad-topic': { outcome: 'malformed', reason: 'bad-topic' },
	// A number tag that receives a string, object, array or boolean: the UNS carries any JSON value, so the
	// value is kept as sent; what matters is that the engines behind the store (alarms, OEE, historian) survive it.
	'wrong-types': { outcome: 'accepted' },
	// An empty payload clears a retained topic: the tag's value becomes null.
	empty: { outcome: 'accepted' }
} as const satisfies Record<string, { outcome: 'malformed'; reason: string } | { outcome: 'accepted' }>;

export type MqttFuzzClass = keyof typeof MQTT_FUZZ_CLASSES;
export const MQTT_CLASS_NAMES = Object.keys(MQTT_FUZZ_CLASSES) as MqttFuzzClass[];

export interface MqttFuzzCase {
	cls: MqttFuzzClass;
	topic: string;
	payload: Buffer;
}

export interface MqttFuzzOptions {
	seed: number;
	total: number;
	/** The server's payload limit in bytes; `huge` goes above it. */
	maxPayloadBytes: number;
	/** Topics of real plant tags (numbers), for `wrong-types`. */
	plantTopics: readonly string[];
	/** Distinct topics per class, so the tag count (and memory) stays bounded however many cases run. */
	topicsPerClass?: number;
}

/** The line whose machines (one per class) and tags (`t0`…) take the fuzz: `<FUZZ_LINE_PATH>/<class>/t<k>`. */
export const FUZZ_LINE = 'fuzz';
export const FUZZ_LINE_PATH = `acme/utrecht/packaging/${FUZZ_LINE}`;
/** Distinct topics per class unless told otherwise. */
export const DEFAULT_TOPICS_PER_CLASS = 16;

/** Topic `k` of a class's pool (the `bad-topic` class makes its own, invalid ones). */
export function fuzzTopic(cls: MqttFuzzClass, k: number): string {
	return `${FUZZ_LINE_PATH}/${cls}/t${k}`;
}

/** `total` cases, spread evenly over the classes, deterministic for a seed. Pure. */
export function mqttFuzzCases(opts: MqttFuzzOptions): MqttFuzzCase[] {
	const rnd = new Random(opts.seed);
	const pool = opts.topicsPerClass ?? DEFAULT_TOPICS_PER_CLASS;
	const cases: MqttFuzzCase[] = [];
	for (const [cls, count] of spread(MQTT_CLASS_NAMES, opts.total)) {
		for (let i = 0; i < count; i++) {
			const topic = cls === 'wrong-types' ? rnd.pick(opts.plantTopics) : cls === 'bad-topic' ? badTopic(rnd) : fuzzTopic(cls, rnd.int(0, pool - 1));
			cases.push({ cls, topic, payload: payloadOf(cls, rnd, opts.maxPayloadBytes) });
		}
	}
	return cases;
}

const envelope = (value: string, ts: string = String(1764000000000)) => `{"timestamp_ms":${ts},"value":${value}}`;

function payloadOf(cls: MqttFuzzClass, rnd: Random, maxBytes: number): Buffer {
	switch (cls) {
		case 'binary': {
			// 0xFF never occurs in UTF-8, so the bytes are binary whatever else they hold.
			const bytes = rnd.bytes(rnd.int(1, 256));
			bytes[rnd.int(0, bytes.length - 1)] = 0xff;
			return bytes;
		}
		case 'invalid-utf8': {
			const bad = rnd.pick([[0x80], [0xc3], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82]]);
			const text = Buffer.from(envelope(String(rnd.int(0, 100))));
			const at = rnd.int(0, text.length);
			return Buffer.concat([text.subarray(0, at), Buffer.from(bad), text.subarray(at)]);
		}
		case 'control-characters': {
			const c = String.fromCharCode(rnd.pick([0, 1, 2, 7, 8, 0x0e, 0x1b, 0x1f, 0x7f]));
			return Buffer.from(`running${c}${rnd.word(rnd.int(0, 8))}`);
		}
		case 'huge': {
			const size = rnd.int(maxBytes + 1, maxBytes * 4);
			return Buffer.from(envelope(`"${'x'.repeat(size)}"`));
		}
		case 'deeply-nested': {
			// As deep as fits under the size limit (6 bytes a level at most), so the depth check is what refuses it.
			const depth = rnd.int(33, Math.min(2000, Math.floor((maxBytes - 64) / 6)));
			const [open, close] = rnd.next() < 0.5 ? ['[', ']'] : ['{"a":', '}'];
			return Buffer.from(envelope(`${open.repeat(depth)}1${close.repeat(depth)}`));
		}
		case 'nan-infinity':
			return Buffer.from(
				rnd.pick([
					envelope('NaN'),
					envelope('Infinity'),
					envelope('-Infinity'),
					`[${rnd.int(0, 9)},NaN]`,
					`{"value":Infinity}`,
					envelope('1', 'NaN')
				])
			);
		case 'bad-json': {
			const good = envelope(String(rnd.next() * 100));
			return Buffer.from(
				rnd.pick([
					good.slice(0, rnd.int(1, good.length - 1)),
					`{${rnd.word(5)}:1}`,
					`[1,2,,3]`,
					`{"value":1,}`,
					`"unterminated ${rnd.word(4)}`,
					`{'value':1}`,
					`[${'1,'.repeat(rnd.int(1, 20))}]`
				])
			);
		}
		case 'bad-timestamp':
			return Buffer.from(envelope(String(rnd.int(0, 100)), rnd.pick(['"yesterday"', 'null', 'true', '1e400', '-1e400', '{}', '[1764000000000]', '"1764000000000"'])));
		case 'bad-topic':
			return Buffer.from(envelope('1'));
		case 'wrong-types':
			return Buffer.from(envelope(rnd.pick(['"hot"', '{"celsius":6}', '[6,7]', 'true', 'null', '""', `"${rnd.word(12)}"`, '1e308', '-0'])));
		case 'empty':
			return Buffer.alloc(0);
	}
}

/** Topics the UNS refuses (checkPath) but MQTT lets through under the subscribed root. */
function badTopic(rnd: Random): string {
	return rnd.pick([`acme//${rnd.word(4)}`, `acme/${rnd.word(4)}/`, `acme/${'x'.repeat(rnd.int(1025, 1500))}`, `acme/${rnd.word(3)}//x`]);
}
