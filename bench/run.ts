// `npm run bench`: runs every benchmark, prints a table and writes bench/results.json.
// Exits non-zero only when a benchmark could not run; figures that miss a goal are reported, not failed.
import fs from 'node:fs';
import os from 'node:os';
import type { Figure } from './figure';
import { historianBench } from './historian';
import { latencyBench } from './latency';
import { localMosquitto } from './stack';
import { fanoutBench } from './fanout';
import { slowClientBench } from './slow-client';
import { ingestBench } from './ingest';
import { startAppStack } from './app-stack';
import { bytesBench } from './bytes';
import { paintBench } from './paint';

const mosquitto = await localMosquitto();
const benches: [string, () => Promise<Figure[]>][] = [
	['historian', historianBench],
	['latency', () => latencyBench(undefined, 'embedded broker')],
	...(mosquitto ? ([['latency (Mosquitto)', () => latencyBench(mosquitto, 'Mosquitto')]] as [string, () => Promise<Figure[]>][]) : []),
	['ingest', () => (mosquitto ? ingestBench(mosquitto, 'Mosquitto') : ingestBench(undefined, 'embedded broker (in the server process)'))],
	['fan-out', () => fanoutBench(undefined, 'embedded broker')],
	['slow client', () => slowClientBench(undefined, 'embedded broker')],
	['app', appBenches],
	['uns', () => import('./uns').then((m) => m.unsBench())]
];

/** Bytes on the wire and paint latency, against the built app and the simulator (measured side by side). */
async function appBenches(): Promise<Figure[]> {
	const stack = await startAppStack();
	try {
		const seconds = Number(process.env.BENCH_BYTES_SECONDS ?? 120);
		const [bytes, paint] = await Promise.all([bytesBench(stack.baseURL, stack.cookie, seconds), paintBench(stack.baseURL, stack.mqttUrl)]);
		return [...bytes, ...paint];
	} finally {
		await stack.stop();
	}
}
// BENCH_ONLY=fan-out,latency runs a subset.
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
if (only) benches.splice(0, benches.length, ...benches.filter(([name]) => only.includes(name)));

const figures: Figure[] = [];
for (const [name, bench] of benches) {
	process.stdout.write(`running ${name}…\n`);
	figures.push(...(await bench()));
}

const rows = figures.map((f) => [f.name, `${f.value.toLocaleString('en-GB')} ${f.unit}`, f.goal, f.met ? 'met' : 'MISSED', f.note ?? '']);
const header = ['figure', 'value', 'goal', '', 'how'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}`);

const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
fs.writeFileSync('bench/results.json', JSON.stringify({ at: new Date().toISOString(), machine, figures }, null, 2) + '\n');
console.log(`\nwritten to bench/results.json (${machine.cpus} cores, ${machine.cpu}, Node ${machine.node})`);
