// Load generator, run as its own process: publishes UNS JSON to `topics` topics at `rate` messages/s for
// `seconds`, each payload stamped with the send time, then exits. Bounded in count and time. Topic i is
// tag `t<i / lines>` of machine `m` on line `<line-prefix><i % lines>` (bench/stack.ts declares them).
// Usage: tsx bench/load/publisher.ts <mqtt-url> <line-prefix> <lines> <topics> <rate> <seconds> [pad bytes]
import mqtt from 'mqtt';

const [url, prefix, linesArg, topicsArg, rateArg, secondsArg, padArg] = process.argv.slice(2);
// Optional: text values this long instead of numbers, for benchmarks that need bytes (a slow reader).
const pad = padArg ? 'x'.repeat(Math.min(Number(padArg), 4096)) : undefined;
const lines = Number(linesArg);
const topics = Number(topicsArg);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
if (!url || !prefix || !(lines > 0) || !(topics > 0) || !(rate > 0) || !(seconds > 0) || seconds > 600) {
	console.error('usage: publisher.ts <mqtt-url> <line-prefix> <lines> <topics> <rate> <seconds ≤ 600> [pad bytes]');
	process.exit(2);
}
const names = Array.from({ length: topics }, (_, i) => `${prefix}${i % lines}/m/t${Math.floor(i / lines)}`);
const client = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
// Small packets at a high rate: without TCP_NODELAY, Nagle's algorithm holds them back for the peer's
// delayed ACK (tens of ms), which would be measured as our latency.
(client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
const start = Date.now();
const end = start + seconds * 1000;
let sent = 0;
let next = 0;
// Send in 1 ms slices so the rate holds without a timer per message.
while (Date.now() < end) {
	const due = Math.floor(((Date.now() - start) / 1000) * rate);
	while (sent < due) {
		client.publish(names[next], JSON.stringify({ timestamp_ms: Date.now(), value: pad ? `${pad}${sent % 1000}` : sent % 1000 }), { qos: 0 });
		next = (next + 1) % topics;
		sent++;
	}
	await new Promise((r) => setTimeout(r, 1));
}
await client.endAsync();
process.stdout.write(`${JSON.stringify({ sent, seconds: (Date.now() - start) / 1000 })}\n`);
