// Latency: from the source's publish (timestamp_ms in the payload, set by the load generator) to the
// WebSocket frame received by a client in another process, at 1,000 and 10,000 tag changes per second
// (1,000 topics, one subscribed client). Server, client and load generator are three processes.
import type { Figure } from './figure';
import { cpuShare, runPublisher, sleep, startStack, startSwarm } from './stack';

const SECONDS = 10;
const TOPICS = 1000;
/** The first second is warm-up (JIT, topic discovery) and not counted. */
const WARMUP_MS = 1000;

export async function latencyBench(mqttUrl: string | undefined, brokerName: string): Promise<Figure[]> {
	const figures: Figure[] = [];
	for (const rate of [1000, 10_000]) {
		const stack = await startStack(mqttUrl, `latency${rate}`, TOPICS);
		try {
			const swarm = await startSwarm(stack, { count: 1, screens: [stack.plant.all()], probeEvery: 1 });
			await swarm.count(Date.now() + WARMUP_MS);
			const before = await stack.stats();
			const t0 = Date.now();
			const { sent } = await runPublisher(stack, TOPICS, rate, SECONDS);
			await sleep(300);
			const after = await stack.stats();
			const report = await swarm.finish();
			await swarm.stop();
			const { p50, p95, p99, count } = report.latency;
			const cpu = cpuShare(before, after, Date.now() - t0);
			const note = `${brokerName}; ${sent} sent, ${count} updates received after conflation; p50 ${p50} ms, p95 ${p95} ms; server CPU ${(cpu * 100).toFixed(0)} % of a core`;
			figures.push({
				name: `latency p99 at ${rate.toLocaleString('en-GB')}/s (${brokerName})`,
				value: p99,
				unit: 'ms',
				goal: rate === 10_000 ? '≤ 20' : '—',
				met: rate !== 10_000 || p99 <= 20,
				note
			});
		} finally {
			await stack.stop();
		}
	}
	return figures;
}
