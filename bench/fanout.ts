// Fan-out: 100, 500 and 1,000 authenticated clients, each subscribed to one of five 200-tag screens, while
// 5,000 tag changes/s arrive over MQTT. Figures: p99 latency (source timestamp → frame received, measured by
// ~50 probe clients spread over the screens), server RSS and CPU, and clients dropped, refused or with gaps.
import type { Figure } from './figure';
import { cpuShare, runPublisher, sleep, startStack, startSwarm } from './stack';

const SECONDS = 15;
const WARMUP_MS = 2000;
const TAGS = 1000;
const RATE = 5000;

export async function fanoutBench(mqttUrl: string | undefined, brokerName: string): Promise<Figure[]> {
	const figures: Figure[] = [];
	for (const clients of [100, 500, 1000]) {
		const stack = await startStack(mqttUrl, `fanout${clients}`, TAGS);
		try {
			// The publisher spreads topics over ten lines, 100 each: a screen is two lines, 200 tags.
			const screens = Array.from({ length: 5 }, (_, s) => [stack.plant.line(2 * s), stack.plant.line(2 * s + 1)]);
			const swarm = await startSwarm(stack, { count: clients, screens, probeEvery: Math.max(1, Math.floor(clients / 50)) });
			await swarm.count(Date.now() + WARMUP_MS);
			const before = await stack.stats();
			const t0 = Date.now();
			const { sent } = await runPublisher(stack, TAGS, RATE, SECONDS);
			await sleep(500);
			const after = await stack.stats();
			const report = await swarm.finish();
			await swarm.stop();
			const cpu = cpuShare(before, after, Date.now() - t0);
			const dropped = report.failed + Object.values(report.closedEarly).reduce((a, b) => a + b, 0);
			const { p50, p99 } = report.latency;
			const rssMb = Math.round(after.rss / 2 ** 20);
			const note =
				`${brokerName}; ${report.connected} connected, ${dropped} dropped/refused, ${report.seqGaps} sequence gaps; ` +
				`p50 ${p50} ms; server RSS ${rssMb} MB, CPU ${(cpu * 100).toFixed(0)} % of a core; ` +
				`${sent} changes sent, ${Math.round(report.frames / SECONDS)} frames/s received (${(report.bytes / SECONDS / 2 ** 20).toFixed(1)} MB/s)`;
			const goalMet = clients < 1000 || (p99 <= 100 && after.rss <= 2 ** 30 && dropped === 0 && report.seqGaps === 0);
			figures.push({ name: `fan-out p99 at ${clients.toLocaleString('en-GB')} clients`, value: p99, unit: 'ms', goal: clients === 1000 ? '≤ 100, RSS ≤ 1 GB, none dropped' : '—', met: goalMet, note });
		} finally {
			await stack.stop();
		}
	}
	return figures;
}
