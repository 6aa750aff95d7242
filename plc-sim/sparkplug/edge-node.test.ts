import { describe, expect, test } from 'vitest';
import { decodePayload } from '../../src/lib/server/domain/sparkplug/codec.js';
import { SparkplugHost } from '../../src/lib/server/domain/sparkplug/host.js';
import { EdgeNodeSession, type EdgeMessage } from './edge-node.js';
import { UTILITY_DEVICES } from './mqtt-edge.js';
import { UtilitiesModel } from './utilities.js';

const NOW = 1_700_000_000_000;

function feed(host: SparkplugHost, messages: EdgeMessage[], now = NOW) {
	return messages.map((m) => host.handle(m.topic, m.payload, now));
}

function setup(seed = 1) {
	const model = new UtilitiesModel(seed);
	const session = new EdgeNodeSession('acme-utrecht', 'utilities', UTILITY_DEVICES);
	const host = new SparkplugHost();
	return { model, session, host };
}

describe('utilities edge node session, checked by our Sparkplug host', () => {
	test('births: NBIRTH seq 0 with bdSeq, one DBIRTH per device, every metric by name', () => {
		const { model, session, host } = setup();
		session.will(7);
		const births = session.births(model.values(), NOW);
		expect(births.map((m) => m.topic)).toEqual([
			'spBv1.0/acme-utrecht/NBIRTH/utilities',
			'spBv1.0/acme-utrecht/DBIRTH/utilities/compressor1',
			'spBv1.0/acme-utrecht/DBIRTH/utilities/meter-main',
			'spBv1.0/acme-utrecht/DBIRTH/utilities/meter-line1',
			'spBv1.0/acme-utrecht/DBIRTH/utilities/meter-line2'
		]);
		const outcomes = feed(host, births);
		expect(outcomes.every((o) => o.ok)).toBe(true);
		const paths = outcomes.flatMap((o) => o.updates.map((u) => u.path));
		expect(paths).toContain('spBv1.0/acme-utrecht/utilities/compressor1/Pressure');
		expect(paths).toContain('spBv1.0/acme-utrecht/utilities/meter-line2/Power Factor');
		expect(paths).toHaveLength(2 + 6 + 3 * 4);
		expect(host.nodes()[0]).toMatchObject({ node: 'acme-utrecht/utilities', online: true, lastSeq: 4, bdSeq: 7 });
	});

	test('data carries aliases only, and 600 reports wrap seq 255 → 0 without a gap', () => {
		const { model, session, host } = setup();
		feed(host, session.births(model.values(), NOW));
		let messages = 0;
		for (let i = 0; i < 600; i++) {
			model.step(1000);
			const data = session.data(model.values(), NOW + i);
			messages += data.length;
			for (const m of data) {
				const decoded = decodePayload(m.payload);
				if (!decoded.ok) throw new Error(decoded.reason);
				expect(decoded.payload.metrics.every((x) => x.name === undefined && typeof x.alias === 'number')).toBe(true);
			}
			const outcomes = feed(host, data);
			expect(outcomes.filter((o) => !o.ok)).toEqual([]);
		}
		expect(messages).toBeGreaterThan(256);
		expect(host.nodes().every((s) => s.seqGaps === 0 && !s.rebirthNeeded)).toBe(true);
		console.log(`[measure] sparkplug edge: ${messages} data messages for 600 reports of 4 devices`);
	});

	test('only changed metrics are reported', () => {
		const { model, session } = setup();
		session.births(model.values(), NOW);
		expect(session.data(model.values(), NOW)).toEqual([]);
	});

	test('a rebirth request is recognised by name; other commands are not', () => {
		const { session } = setup();
		const host = new SparkplugHost();
		expect(session.isRebirthRequest(host.rebirthRequest('acme-utrecht', 'utilities', NOW).payload)).toBe(true);
		expect(session.isRebirthRequest(Uint8Array.of(0xff))).toBe(false);
	});

	test('a rebirth starts again at seq 0 and the host clears its rebirth flag', () => {
		const { model, session, host } = setup();
		feed(host, session.births(model.values(), NOW));
		host.handle('spBv1.0/acme-utrecht/NDATA/utilities', Uint8Array.of(0x18, 0x63), NOW); // seq 99: a gap
		expect(host.nodes()[0].rebirthNeeded).toBe(true);
		feed(host, session.births(model.values(), NOW));
		expect(host.nodes()[0]).toMatchObject({ rebirthNeeded: false, lastSeq: 4 });
	});

	test('clean deaths: DDEATHs then NDEATH with the session\'s bdSeq mark everything stale', () => {
		const { model, session, host } = setup();
		const will = session.will(3);
		feed(host, session.births(model.values(), NOW));
		const deaths = session.deaths(NOW);
		expect(deaths.map((m) => m.topic.split('/')[2])).toEqual(['DDEATH', 'DDEATH', 'DDEATH', 'DDEATH', 'NDEATH']);
		const outcomes = feed(host, deaths);
		expect(outcomes.every((o) => o.ok)).toBe(true);
		expect(host.nodes().every((s) => !s.online)).toBe(true);
		// The will of this connection is the same NDEATH the host accepts.
		expect(decodePayload(will.payload)).toMatchObject({ ok: true, payload: { metrics: [{ name: 'bdSeq', value: { kind: 'long', value: '3' } }] } });
	});

	test('the will of an older connection does not kill the current session', () => {
		const { model, session, host } = setup();
		const oldWill = session.will(0);
		session.will(1);
		feed(host, session.births(model.values(), NOW));
		expect(host.handle(oldWill.topic, oldWill.payload, NOW)).toMatchObject({ ok: false, reason: 'stale-death' });
	});
});

describe('utilities model', () => {
	test('same seed, same values; another seed, other values', () => {
		const run = (seed: number) => {
			const m = new UtilitiesModel(seed);
			for (let i = 0; i < 300; i++) m.step(1000);
			return m.values();
		};
		expect(run(1)).toEqual(run(1));
		expect(run(2)).not.toEqual(run(1));
	});

	test('ten plant-hours: load/unload control holds, counters only rise, main meter carries the lines', () => {
		const m = new UtilitiesModel(5);
		let lastEnergy = m.values()['meter-main'].Energy as number;
		let maxPressure = 0;
		let trips = 0;
		let wasRunning = true;
		for (let i = 0; i < 36_000; i++) {
			m.step(1000);
			const { compressor1: c, ...meters } = m.values();
			// Below cut-in (6.5 bar) a running compressor must be loaded; above cut-out (7.5 bar) it must not be.
			if (c.Running && (c.Pressure as number) < 6.5) expect(c.Loaded).toBe(true);
			if ((c.Pressure as number) > 7.5) expect(c.Loaded).toBe(false);
			if (wasRunning && !c.Running) trips++;
			wasRunning = c.Running as boolean;
			maxPressure = Math.max(maxPressure, c.Pressure as number);
			expect(meters['meter-main'].Energy as number).toBeGreaterThanOrEqual(lastEnergy);
			lastEnergy = meters['meter-main'].Energy as number;
			// Main = line 1 + line 2 + compressor + 25 kW base load.
			const expected = (meters['meter-line1'].Power as number) + (meters['meter-line2'].Power as number) + (c.Power as number) + 25;
			expect(meters['meter-main'].Power as number).toBeCloseTo(expected, 0);
		}
		// One trip per plant-hour on average: 10 expected; a Poisson count outside 2–25 would mean a broken rate.
		expect(trips).toBeGreaterThanOrEqual(2);
		expect(trips).toBeLessThanOrEqual(25);
		// Overshoot past cut-out is one step of at most (18 − 8) m³/min × 0.01 bar/s × 1 s = 0.1 bar.
		expect(maxPressure).toBeLessThanOrEqual(7.6);
		console.log(`[measure] utilities: ${trips} compressor trips in 10 plant-hours (seed 5)`);
	});
});
