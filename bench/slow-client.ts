// Slow client: ten clients read normally while 5,000 changes/s of ~300-byte payloads arrive; then one more
// client subscribes to everything and stops reading (for long enough to fill the kernel's socket buffers). Figures: the slow client's backlog on the server (bounded by the hub's
// buffer limit) and the others' p99 before and after it froze.
import type { Figure } from './figure';
import { runPublisher, sleep, startStack, startSwarm, type BenchStack } from './stack';

const SECONDS = 15;
const TOPICS = 1000;
const PAD_BYTES = 250;
const WARMUP_MS = 1000;

async function measure(stack: BenchStack) {
	const swarm = await startSwarm(stack, { count: 10, screens: [stack.plant.all()], probeEvery: 1 });
	await swarm.count(Date.now() + WARMUP_MS);
	await runPublisher(stack, TOPICS, 5000, SECONDS, PAD_BYTES);
	await sleep(300);
	const report = await swarm.finish();
	await swarm.stop();
	return report;
}

export async function slowClientBench(mqttUrl: string | undefined, brokerName: string): Promise<Figure[]> {
	const stack = await startStack(mqttUrl, 'slow', TOPICS);
	try {
		const alone = await measure(stack);
		const slow = await startSwarm(stack, { count: 1, screens: [stack.plant.all()], probeEvery: 1, slow: true });
		await stack.stats(); // resets the sampled buffer peak
		const withSlow = await measure(stack);
		const stats = await stack.stats();
		await slow.stop();
		const limit = 1024 * 1024;
		const backlog = stats.largestClientBufferBytes;
		return [
			{
				name: 'slow client: its backlog on the server',
				value: Math.round(backlog / 1024),
				unit: 'KiB',
				goal: `bounded (limit ${limit / 1024} KiB + one frame)`,
				met: backlog <= limit + 256 * 1024,
				note: `${brokerName}; ${stats.hub.skippedFlushes} batches held back for it; server RSS ${Math.round(stats.rss / 2 ** 20)} MB`
			},
			{
				name: 'slow client: the others’ p99',
				value: withSlow.latency.p99,
				unit: 'ms',
				goal: 'unchanged',
				met: withSlow.latency.p99 <= Math.max(2 * alone.latency.p99, alone.latency.p99 + 10),
				note: `p99 ${alone.latency.p99} ms without it, ${withSlow.latency.p99} ms with it; gaps ${withSlow.seqGaps}, dropped ${Object.values(withSlow.closedEarly).reduce((a, b) => a + b, 0)}`
			}
		];
	} finally {
		await stack.stop();
	}
}
