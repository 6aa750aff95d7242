import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSparkplugEdge, type SparkplugEdge } from '../../plc-sim/sparkplug/mqtt-edge';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../src/lib/server/connectors/embedded-broker';
import { BrokerAccounts } from '../../src/lib/server/connectors/broker-accounts';
import { brokerAccounts, HMI_ACCOUNT, SPARKPLUG_ACCOUNT } from '../../src/lib/server/domain/plant/broker-acl';
import { parsePlantModel } from '../../src/lib/server/domain/plant/load';
import { encodePayload } from '../../src/lib/server/domain/sparkplug/codec';
import { SparkplugHost, type SparkplugMetricUpdate, type SparkplugOutcome } from '../../src/lib/server/domain/sparkplug/host';

// The simulator's utilities edge node against a real broker (embedded aedes, with its accounts: the edge node
// signs in as `sparkplug`, whose rules allow births, data and deaths and reading commands), watched by a host
// that is fed from a plain mqtt.js subscription to spBv1.0/#, as the HMI will feed it.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hmi-sparkplug-'));
const accounts = BrokerAccounts.load(dataDir, brokerAccounts(parsePlantModel(fs.readFileSync('config/plant.json', 'utf8'), 'config/plant.json')));

const EDGE = 'utilities';

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 25));
	}
}

interface Seen {
	topic: string;
	outcome: SparkplugOutcome;
	at: number;
}

describe('Sparkplug B edge node (plc-sim) through a real broker', () => {
	let broker: EmbeddedBroker;
	let listener: MqttClient;
	const host = new SparkplugHost();
	const seen: Seen[] = [];
	/** Latest update per tree path. */
	const latest = new Map<string, SparkplugMetricUpdate>();

	beforeAll(async () => {
		broker = await startEmbeddedBroker(0, '127.0.0.1', accounts);
		listener = await mqtt.connectAsync(broker.url, { ...accounts.credentials(HMI_ACCOUNT), protocolVersion: 4, clean: true, reconnectPeriod: 200 });
		listener.on('message', (topic, payload) => {
			const outcome = host.handle(topic, payload, Date.now());
			seen.push({ topic, outcome, at: Date.now() });
			for (const u of outcome.updates) latest.set(u.path, u);
		});
		// Without a connection no death can arrive: the host itself takes everything offline.
		listener.on('close', () => {
			for (const u of host.connectionLost()) latest.set(u.path, u);
		});
		await listener.subscribeAsync('spBv1.0/#', { qos: 1 });
	});
	afterAll(async () => {
		await listener?.endAsync();
		await broker?.close();
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	const inGroup = (group: string) => seen.filter((s) => s.topic.startsWith(`spBv1.0/${group}/`));
	const kinds = (group: string, kind: string) => inGroup(group).filter((s) => s.outcome.ok && s.outcome.kind === kind);
	const nodeStatus = (group: string) => host.nodes().find((n) => n.node === `${group}/${EDGE}`);
	const metricsOf = (group: string) => [...latest.values()].filter((u) => u.path.startsWith(`spBv1.0/${group}/`));
	const start = (group: string) =>
		startSparkplugEdge({ url: broker.url, login: accounts.credentials(SPARKPLUG_ACCOUNT), seed: 3, speed: 10, reportIntervalMs: 1000, group, log: () => {}, reconnectPeriodMs: 200 });

	test('births, then data by alias: every metric resolves by name and seq wraps 255 → 0 without a gap', async () => {
		const group = `it-${randomBytes(3).toString('hex')}`;
		const edge = start(group);
		try {
			const t0 = Date.now();
			await until(() => kinds(group, 'DBIRTH').length === 4, 'the four device births');
			const birthMs = Date.now() - t0;
			// About 5 messages per 100 ms report: more than 256 messages means seq wrapped at least once.
			await until(() => inGroup(group).length > 300, 'more than 300 messages', 20_000);
			const elapsed = (Date.now() - t0) / 1000;
			console.log(`[measure] sparkplug edge → broker → host: births after ${birthMs} ms, ${inGroup(group).length} messages in ${elapsed.toFixed(1)} s`);

			expect(inGroup(group).filter((s) => !s.outcome.ok).map((s) => s.outcome)).toEqual([]);
			expect(nodeStatus(group)).toMatchObject({ online: true, seqGaps: 0, rebirthNeeded: false, bdSeq: 0 });
			const names = new Set(metricsOf(group).map((u) => u.path.slice(`spBv1.0/${group}/${EDGE}/`.length)));
			expect([...names].sort()).toEqual(
				[
					'bdSeq',
					'Node Control/Rebirth',
					...['Pressure', 'Flow', 'Power', 'Running', 'Loaded', 'Run Hours'].map((m) => `compressor1/${m}`),
					...['meter-main', 'meter-line1', 'meter-line2'].flatMap((d) => ['Power', 'Energy', 'Voltage', 'Power Factor'].map((m) => `${d}/${m}`))
				].sort()
			);
			const pressure = latest.get(`spBv1.0/${group}/${EDGE}/compressor1/Pressure`);
			expect(pressure).toMatchObject({ datatype: 'Float', stale: false });
			expect(typeof pressure?.value).toBe('number');
			// Data went out by alias only, so names can only have come from the births.
			const dataUpdates = inGroup(group).filter((s) => s.outcome.ok && (s.outcome.kind === 'DDATA' || s.outcome.kind === 'NDATA'));
			expect(dataUpdates.length).toBeGreaterThan(250);
		} finally {
			await edge.stop();
		}
	});

	test('a host that saw a gap asks for a rebirth; the node re-births and the flag clears', async () => {
		const group = `it-${randomBytes(3).toString('hex')}`;
		const edge = start(group);
		try {
			await until(() => kinds(group, 'DBIRTH').length === 4, 'the first births');
			// A message with a seq far off the count: as if the host had missed some.
			const lastSeq = nodeStatus(group)?.lastSeq ?? 0;
			await listener.publishAsync(`spBv1.0/${group}/NDATA/${EDGE}`, Buffer.from(encodePayload({ seq: (lastSeq + 100) % 256, metrics: [] })));
			await until(() => nodeStatus(group)?.rebirthNeeded === true, 'the rebirth flag');

			const request = host.rebirthRequest(group, EDGE, Date.now());
			await listener.publishAsync(request.topic, Buffer.from(request.payload), { qos: 1 });
			await until(() => kinds(group, 'NBIRTH').length === 2 && kinds(group, 'DBIRTH').length === 8, 'the second births');
			expect(nodeStatus(group)?.rebirthNeeded).toBe(false);

			const gapsAfterRebirth = nodeStatus(group)?.seqGaps;
			const count = inGroup(group).length;
			await until(() => inGroup(group).length > count + 50, '50 more messages');
			expect(nodeStatus(group)).toMatchObject({ seqGaps: gapsAfterRebirth, rebirthNeeded: false });
		} finally {
			await edge.stop();
		}
	});

	test.each([
		// A clean stop sends a DDEATH per device itself; after an abrupt one only the broker's will (NDEATH) comes.
		['clean stop: DDEATHs and NDEATH', (edge: SparkplugEdge) => edge.stop(), 4],
		['abrupt stop: the broker sends the will', (edge: SparkplugEdge) => edge.abort(), 0]
	])('%s mark every metric stale', async (label, stop, deviceDeaths) => {
		const group = `it-${randomBytes(3).toString('hex')}`;
		const edge = start(group);
		await until(() => kinds(group, 'DBIRTH').length === 4, 'the births');
		await until(() => kinds(group, 'DDATA').length > 4, 'some data');
		expect(metricsOf(group).some((u) => u.stale)).toBe(false);
		const t0 = Date.now();
		await stop(edge);
		await until(() => kinds(group, 'NDEATH').length === 1, 'the NDEATH');
		console.log(`[measure] sparkplug ${label.split(':')[0]}: NDEATH seen ${Date.now() - t0} ms after stop`);
		expect(kinds(group, 'DDEATH')).toHaveLength(deviceDeaths);
		const metrics = metricsOf(group);
		expect(metrics).toHaveLength(20);
		expect(metrics.filter((u) => !u.stale).map((u) => u.path)).toEqual([]);
		expect(host.nodes().filter((n) => n.node.startsWith(`${group}/`)).every((n) => !n.online)).toBe(true);
		expect(inGroup(group).filter((s) => !s.outcome.ok)).toEqual([]);
		await edge.stop();
	});

	// Last: it restarts the broker under everything.
	test('after a broker restart the host marks all stale, then the node comes back in a new session (next bdSeq)', async () => {
		const group = `it-${randomBytes(3).toString('hex')}`;
		const edge = start(group);
		try {
			await until(() => kinds(group, 'DBIRTH').length === 4, 'the births');
			expect(metricsOf(group)).toHaveLength(20);
			await broker.stop();
			await until(() => metricsOf(group).every((u) => u.stale), 'every metric stale');
			expect(nodeStatus(group)?.online).toBe(false);

			await broker.start();
			const t0 = Date.now();
			// The node may re-birth before our subscription is back; its data then asks for a rebirth.
			await until(() => kinds(group, 'NBIRTH').length === 2 || nodeStatus(group)?.rebirthNeeded === true, 'a birth or the rebirth flag');
			const askedForRebirth = kinds(group, 'NBIRTH').length < 2;
			if (askedForRebirth) {
				const request = host.rebirthRequest(group, EDGE, Date.now());
				await listener.publishAsync(request.topic, Buffer.from(request.payload), { qos: 1 });
			}
			await until(() => nodeStatus(group)?.online === true && !nodeStatus(group)?.rebirthNeeded, 'the node online again');
			expect(nodeStatus(group)?.bdSeq).toBeGreaterThan(0);
			await until(() => metricsOf(group).every((u) => !u.stale), 'every metric fresh again');
			console.log(`[measure] sparkplug broker restart: fresh again ${Date.now() - t0} ms after restart (${askedForRebirth ? 'after a rebirth request' : 'births on reconnect'}, bdSeq ${nodeStatus(group)?.bdSeq})`);
		} finally {
			await edge.stop();
		}
	});
});
