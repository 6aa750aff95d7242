// Latency: from the source's publish (timestamp_ms in the payload) to the WebSocket frame received by a
// client, at 1,000 and 10,000 tag changes per second (1,000 topics, one subscribed client).
import type { Figure } from './figure';
import { openClient, percentile, runPublisher, startStack } from './stack';

const SECONDS = 10;
/** The first second is warm-up (JIT, topic discovery) and not counted. */
const WARMUP_MS = 1000;

export async function latencyBench(): Promise<Figure[]> {
	const figures: Figure[] = [];
	for (const rate of [1000, 10_000]) {
		const stack = await startStack();
		try {
			const prefix = `acme/latency${rate}`;
			const samples: number[] = [];
			const started = Date.now();
			const ws = await openClient(stack, [`${prefix}/#`], (ts, now) => {
				if (ts - started > WARMUP_MS) samples.push(now - ts);
			});
			const { sent } = await runPublisher(stack.runtime.mqttUrl, prefix, 1000, rate, SECONDS);
			await new Promise((r) => setTimeout(r, 500));
			ws.close();
			samples.sort((a, b) => a - b);
			const [p50, p95, p99] = [50, 95, 99].map((p) => percentile(samples, p));
			const note = `${sent} sent, ${samples.length} updates received after conflation; p50 ${p50} ms, p95 ${p95} ms`;
			figures.push({ name: `latency p99 at ${rate.toLocaleString('en-GB')}/s`, value: p99, unit: 'ms', goal: rate === 10_000 ? '≤ 20' : '—', met: rate !== 10_000 || p99 <= 20, note });
		} finally {
			await stack.stop();
		}
	}
	return figures;
}
