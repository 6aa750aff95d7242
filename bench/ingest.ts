// Ingest: MQTT messages per second through the whole server path — MQTT client, payload parsing, tag
// store, topic tree, alarm/OEE engines, historian (SQLite) and hub — measured as messages handled per
// second of the server's CPU time, so the figure is "per core" whatever else the machine runs. The load
// generator offers more than the server can take; it and the broker are other processes.
import type { Figure } from './figure';
import { cpuShare, runPublisher, sleep, startStack } from './stack';

const SECONDS = 8;
const OFFERED_RATE = 60_000;
const TOPICS = 10_000;

export async function ingestBench(mqttUrl: string | undefined, brokerName: string): Promise<Figure[]> {
	const stack = await startStack(mqttUrl, 'ingest', TOPICS);
	try {
		// Warm-up: every topic once (tags created, historian series opened), then measure steady state.
		await runPublisher(stack, TOPICS, 20_000, 1);
		await sleep(1000);
		const before = await stack.stats();
		const t0 = Date.now();
		const { sent } = await runPublisher(stack, TOPICS, OFFERED_RATE, SECONDS);
		await sleep(1000);
		const after = await stack.stats();
		const wallMs = Date.now() - t0;
		const handled = after.mqttMessages - before.mqttMessages;
		const cpuSeconds = (cpuShare(before, after, wallMs) * wallMs) / 1000;
		const perCore = Math.round(handled / cpuSeconds);
		return [
			{
				name: 'ingest per core',
				value: perCore,
				unit: 'msg/s',
				goal: '≥ 50,000',
				met: perCore >= 50_000,
				note: `${brokerName}; ${sent} offered in ${SECONDS} s, ${handled} handled using ${cpuSeconds.toFixed(1)} s of server CPU (incl. historian); ${TOPICS} topics`
			}
		];
	} finally {
		await stack.stop();
	}
}
