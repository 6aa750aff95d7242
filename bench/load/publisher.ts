// Load generator, run as its own process: publishes UNS JSON to `topics` topics at `rate` messages/s for
// `seconds`, each payload stamped with the send time, then exits. Bounded in count and time.
// Usage: tsx bench/load/publisher.ts <mqtt-url> <prefix> <topics> <rate> <seconds>
import mqtt from 'mqtt';

const [url, prefix, topicsArg, rateArg, secondsArg] = process.argv.slice(2);
const topics = Number(topicsArg);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
if (!url || !prefix || !(topics > 0) || !(rate > 0) || !(seconds > 0) || seconds > 600) {
	console.error('usage: publisher.ts <mqtt-url> <prefix> <topics> <rate> <seconds ≤ 600>');
	process.exit(2);
}
const names = Array.from({ length: topics }, (_, i) => `${prefix}/line${i % 10}/machine${Math.floor(i / 10) % 100}/tag${i}`);
const client = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
const start = Date.now();
const end = start + seconds * 1000;
let sent = 0;
let next = 0;
// Send in 1 ms slices so the rate holds without a timer per message.
while (Date.now() < end) {
	const due = Math.floor(((Date.now() - start) / 1000) * rate);
	while (sent < due) {
		client.publish(names[next], JSON.stringify({ timestamp_ms: Date.now(), value: sent % 1000 }), { qos: 0 });
		next = (next + 1) % topics;
		sent++;
	}
	await new Promise((r) => setTimeout(r, 1));
}
await client.endAsync();
process.stdout.write(`${JSON.stringify({ sent, seconds: (Date.now() - start) / 1000 })}\n`);
