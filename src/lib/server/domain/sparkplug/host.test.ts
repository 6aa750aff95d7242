import { describe, expect, test } from 'vitest';
import { decodePayload, encodePayload, type EncodableMetric } from './codec.js';
import { REBIRTH_METRIC, SparkplugHost } from './host.js';
import { HAND_NBIRTH, HAND_NDATA } from './test-fixtures.js';

const NOW = 1_700_000_000_000;
const G = 'plant';
const E = 'edge1';
const t = (type: string, device?: string) => `spBv1.0/${G}/${type}/${E}${device ? `/${device}` : ''}`;
const p = (seq: number | undefined, metrics: EncodableMetric[], timestamp?: number) => encodePayload({ seq, timestamp, metrics });

const nbirth = (seq = 0, bdSeq = 0) =>
	p(seq, [
		{ name: 'bdSeq', datatype: 'Int64', value: bdSeq },
		{ name: 'Node Control/Rebirth', alias: 1, datatype: 'Boolean', value: false },
		{ name: 'Compressor/Pressure', alias: 2, datatype: 'Double', value: 6.8 },
		{ name: 'Running', alias: 3, datatype: 'Boolean', value: true }
	], NOW);
const ndeath = (bdSeq: number) => p(undefined, [{ name: 'bdSeq', datatype: 'Int64', value: bdSeq }]);
const ndata = (seq: number, pressure = 7) => p(seq, [{ alias: 2, datatype: 'Double', value: pressure }]);
const dbirth = (seq: number) => p(seq, [{ name: 'Power', alias: 10, datatype: 'Float', value: 12.5 }]);
const ddata = (seq: number, kw = 13) => p(seq, [{ alias: 10, datatype: 'Float', value: kw }]);

function born(): SparkplugHost {
	const host = new SparkplugHost();
	expect(host.handle(t('NBIRTH'), nbirth(), NOW).ok).toBe(true);
	return host;
}

describe('birth → alias → data', () => {
	test('hand-assembled NBIRTH and NDATA: names from the birth, values from the data', () => {
		const host = new SparkplugHost();
		const birth = host.handle(t('NBIRTH'), HAND_NBIRTH, NOW);
		expect(birth).toMatchObject({ ok: true, kind: 'NBIRTH', status: { node: 'plant/edge1', online: true, lastSeq: 0, seqGaps: 0, rebirthNeeded: false } });
		expect(birth.updates).toEqual([
			{ path: 'spBv1.0/plant/edge1/temp', name: 'temp', value: 21.5, datatype: 'Double', ts: 1000, stale: false },
			{ path: 'spBv1.0/plant/edge1/level', name: 'level', value: 7, datatype: 'Int32', ts: 1000, stale: false }
		]);
		const data = host.handle(t('NDATA'), HAND_NDATA, NOW);
		expect(data).toMatchObject({ ok: true, kind: 'NDATA' });
		expect(data.updates).toEqual([
			{ path: 'spBv1.0/plant/edge1/level', name: 'level', value: -5, datatype: 'Int32', ts: NOW, stale: false },
			{ path: 'spBv1.0/plant/edge1/temp', name: 'temp', value: -1.25, datatype: 'Double', ts: NOW, stale: false }
		]);
	});

	test('metric names keep their own levels in the path; metric timestamps win', () => {
		const host = born();
		const out = host.handle(t('NDATA'), p(1, [{ alias: 2, datatype: 'Double', value: 7.1, timestamp: NOW + 5 }], NOW + 9), NOW + 10);
		expect(out.updates).toEqual([
			{ path: 'spBv1.0/plant/edge1/Compressor/Pressure', name: 'Compressor/Pressure', value: 7.1, datatype: 'Double', ts: NOW + 5, stale: false }
		]);
	});

	test('data by name (no aliases) is resolved when the birth declared the name', () => {
		const host = born();
		const out = host.handle(t('NDATA'), p(1, [{ name: 'Running', datatype: 'Boolean', value: false }]), NOW);
		expect(out).toMatchObject({ ok: true, updates: [{ name: 'Running', value: false }] });
	});

	test.each([
		['an alias the birth did not declare', [{ alias: 99, datatype: 'Double', value: 1 }]],
		['a name the birth did not declare', [{ name: 'Invented', datatype: 'Double', value: 1 }]]
	] as [string, EncodableMetric[]][])('%s is flagged, never guessed; known metrics still apply', (_label, metrics) => {
		const host = born();
		const out = host.handle(t('NDATA'), p(1, [...metrics, { alias: 3, datatype: 'Boolean', value: false }]), NOW);
		expect(out).toMatchObject({ ok: false, reason: 'unknown-alias', status: { rebirthNeeded: true } });
		expect(out.updates.map((u) => [u.name, u.value])).toEqual([['Running', false]]);
	});

	test('data before any birth is flagged and asks for a rebirth', () => {
		const host = new SparkplugHost();
		const out = host.handle(t('NDATA'), ndata(0), NOW);
		expect(out).toEqual({
			ok: false,
			reason: 'no-birth',
			updates: [],
			status: { node: 'plant/edge1', online: false, lastSeq: null, seqGaps: 0, rebirthNeeded: true }
		});
	});

	test('a new birth resets the aliases and clears rebirthNeeded', () => {
		const host = born();
		host.handle(t('NDATA'), ndata(5), NOW); // gap
		expect(host.nodes()[0].rebirthNeeded).toBe(true);
		const rebirth = p(0, [{ name: 'Other', alias: 2, datatype: 'String', value: 'x' }], NOW);
		expect(host.handle(t('NBIRTH'), rebirth, NOW)).toMatchObject({ ok: true, status: { rebirthNeeded: false, lastSeq: 0, seqGaps: 1 } });
		const out = host.handle(t('NDATA'), p(1, [{ alias: 2, datatype: 'String', value: 'y' }]), NOW);
		expect(out.updates).toMatchObject([{ name: 'Other', value: 'y' }]);
		expect(host.handle(t('NDATA'), p(2, [{ alias: 3, datatype: 'Boolean', value: true }]), NOW)).toMatchObject({ reason: 'unknown-alias' });
	});
});

describe('seq', () => {
	// [birth seq, following seqs, expected gaps, expected rebirthNeeded]
	test.each([
		['in order', 0, [1, 2, 3], 0, false],
		['wrap 255 → 0 is not a gap', 254, [255, 0, 1], 0, false],
		['one skipped', 0, [1, 3, 4], 1, true],
		['repeated', 0, [1, 1], 1, true],
		['backwards', 10, [11, 9], 1, true],
		['two gaps', 0, [2, 4], 2, true],
		['256 is out of range', 0, [256], 1, true],
		['missing seq', 0, [undefined], 1, true]
	] as [string, number, (number | undefined)[], number, boolean][])('%s', (_label, birthSeq, seqs, gaps, rebirth) => {
		const host = new SparkplugHost();
		host.handle(t('NBIRTH'), nbirth(birthSeq), NOW);
		for (const seq of seqs) host.handle(t('NDATA'), p(seq, [{ alias: 2, datatype: 'Double', value: 1 }]), NOW);
		expect(host.nodes()[0]).toMatchObject({ seqGaps: gaps, rebirthNeeded: rebirth });
	});

	test('devices share their edge node\'s seq', () => {
		const host = born();
		host.handle(t('DBIRTH', 'm1'), dbirth(1), NOW);
		host.handle(t('NDATA'), ndata(2), NOW);
		host.handle(t('DDATA', 'm1'), ddata(3), NOW);
		expect(host.nodes()).toEqual([
			{ node: 'plant/edge1', online: true, lastSeq: 3, seqGaps: 0, rebirthNeeded: false, bdSeq: 0 },
			{ node: 'plant/edge1/m1', online: true, lastSeq: 3, seqGaps: 0, rebirthNeeded: false, bdSeq: 0 }
		]);
		host.handle(t('DDATA', 'm1'), ddata(3), NOW);
		expect(host.nodes()[1]).toMatchObject({ seqGaps: 1, rebirthNeeded: true });
	});
});

describe('deaths', () => {
	test('NDEATH with the birth\'s bdSeq marks node and device metrics stale, keeping the last values', () => {
		const host = new SparkplugHost();
		host.handle(t('NBIRTH'), nbirth(0, 4), NOW);
		host.handle(t('DBIRTH', 'm1'), dbirth(1), NOW);
		host.handle(t('DDATA', 'm1'), ddata(2, 14), NOW);
		const out = host.handle(t('NDEATH'), ndeath(4), NOW + 1);
		expect(out).toMatchObject({ ok: true, kind: 'NDEATH', status: { online: false, bdSeq: 4 } });
		expect(out.updates.map((u) => [u.path, u.value, u.stale])).toEqual([
			['spBv1.0/plant/edge1/bdSeq', 4, true],
			['spBv1.0/plant/edge1/Node Control/Rebirth', false, true],
			['spBv1.0/plant/edge1/Compressor/Pressure', 6.8, true],
			['spBv1.0/plant/edge1/Running', true, true],
			['spBv1.0/plant/edge1/m1/Power', 14, true]
		]);
		expect(host.nodes().map((s) => s.online)).toEqual([false, false]);
		// After a death, data needs a new birth.
		expect(host.handle(t('NDATA'), ndata(3), NOW)).toMatchObject({ ok: false, reason: 'no-birth' });
	});

	test('an NDEATH from an older session (other bdSeq) is ignored', () => {
		const host = new SparkplugHost();
		host.handle(t('NBIRTH'), nbirth(0, 5), NOW);
		expect(host.handle(t('NDEATH'), ndeath(4), NOW)).toMatchObject({ ok: false, reason: 'stale-death', updates: [], status: { online: true } });
		expect(host.handle(t('NDATA'), ndata(1), NOW)).toMatchObject({ ok: true, updates: [{ stale: false }] });
	});

	test('DDEATH marks only that device stale', () => {
		const host = born();
		host.handle(t('DBIRTH', 'm1'), dbirth(1), NOW);
		host.handle(t('DBIRTH', 'm2'), dbirth(2), NOW);
		const out = host.handle(t('DDEATH', 'm1'), p(3, []), NOW);
		expect(out).toMatchObject({ ok: true, kind: 'DDEATH', status: { node: 'plant/edge1/m1', online: false } });
		expect(out.updates).toEqual([{ path: 'spBv1.0/plant/edge1/m1/Power', name: 'Power', value: 12.5, datatype: 'Float', ts: NOW, stale: true }]);
		expect(host.nodes().map((s) => [s.node, s.online])).toEqual([
			['plant/edge1', true],
			['plant/edge1/m1', false],
			['plant/edge1/m2', true]
		]);
		expect(host.handle(t('DDATA', 'm1'), ddata(4), NOW)).toMatchObject({ ok: false, reason: 'no-birth' });
		expect(host.handle(t('DDATA', 'm2'), ddata(5), NOW)).toMatchObject({ ok: true, updates: [{ path: 'spBv1.0/plant/edge1/m2/Power' }] });
	});

	test('DDATA before its DBIRTH is flagged', () => {
		const host = born();
		expect(host.handle(t('DDATA', 'm9'), ddata(1), NOW)).toMatchObject({ ok: false, reason: 'no-birth', status: { node: 'plant/edge1/m9', rebirthNeeded: true } });
	});

	test('a new NBIRTH sends the devices of the old session stale until their DBIRTH', () => {
		const host = born();
		host.handle(t('DBIRTH', 'm1'), dbirth(1), NOW);
		const out = host.handle(t('NBIRTH'), nbirth(0, 1), NOW);
		expect(out.updates.filter((u) => u.stale).map((u) => u.path)).toEqual(['spBv1.0/plant/edge1/m1/Power']);
		expect(host.handle(t('DDATA', 'm1'), ddata(1), NOW)).toMatchObject({ ok: false, reason: 'no-birth' });
	});
});

test('losing the broker connection takes every node offline and its metrics stale; data then needs a birth', () => {
	const host = born();
	host.handle(t('DBIRTH', 'm1'), dbirth(1), NOW);
	const updates = host.connectionLost();
	expect(updates).toHaveLength(5);
	expect(updates.every((u) => u.stale)).toBe(true);
	expect(host.nodes().map((s) => s.online)).toEqual([false, false]);
	expect(host.connectionLost()).toEqual([]);
	expect(host.handle(t('NDATA'), ndata(2), NOW)).toMatchObject({ ok: false, reason: 'no-birth', status: { rebirthNeeded: true } });
});

describe('STATE', () => {
	test.each([
		['{"online":true,"timestamp":1700000000123}', { ok: true, kind: 'STATE', updates: [], hostState: { hostId: 'scada', online: true, ts: 1700000000123 } }],
		['{"online":false}', { ok: true, kind: 'STATE', updates: [], hostState: { hostId: 'scada', online: false, ts: NOW } }],
		['ONLINE', { ok: false, reason: 'malformed', updates: [] }],
		['{"online":"yes"}', { ok: false, reason: 'malformed', updates: [] }],
		['null', { ok: false, reason: 'malformed', updates: [] }]
	])('%s', (text, expected) => {
		expect(new SparkplugHost().handle('spBv1.0/STATE/scada', Buffer.from(text), NOW)).toEqual(expected);
	});

	test('invalid UTF-8 is malformed', () => {
		expect(new SparkplugHost().handle('spBv1.0/STATE/scada', Uint8Array.of(0xff, 0xfe), NOW)).toMatchObject({ ok: false, reason: 'malformed' });
	});
});

describe('bad input is flagged, never fatal', () => {
	test.each([
		['garbage bytes', t('NDATA'), Uint8Array.of(0xff, 0xff, 0xff)],
		['truncated birth', t('NBIRTH'), HAND_NBIRTH.subarray(0, 20)],
		['JSON on a Sparkplug topic', t('DDATA', 'm1'), Buffer.from('{"v":1}')],
		['birth without seq', t('NBIRTH'), p(undefined, [{ name: 'a', datatype: 'Double', value: 1 }])]
	])('%s → malformed', (_label, topic, bytes) => {
		const host = new SparkplugHost();
		expect(() => host.handle(topic, bytes, NOW)).not.toThrow();
		expect(host.handle(topic, bytes, NOW)).toMatchObject({ ok: false, reason: 'malformed', updates: [] });
	});

	test.each(['spBv1.0/plant/NDATA', 'spBv1.0/plant/XDATA/e', 'spBv1.0', 'plant/line1/temp'])('%s → bad-topic', (topic) => {
		expect(new SparkplugHost().handle(topic, HAND_NDATA, NOW)).toEqual({ ok: false, reason: 'bad-topic', updates: [] });
	});

	test('malformed data on a known node keeps its state and reports its status', () => {
		const host = born();
		expect(host.handle(t('NDATA'), Uint8Array.of(0x12, 0x09), NOW)).toMatchObject({ ok: false, reason: 'malformed', status: { online: true } });
		expect(host.handle(t('NDATA'), ndata(1), NOW)).toMatchObject({ ok: true });
	});
});

describe('limits', () => {
	test('edge nodes beyond maxEdgeNodes are dropped and flagged', () => {
		const host = new SparkplugHost({ maxEdgeNodes: 1 });
		expect(host.handle('spBv1.0/g/NBIRTH/a', nbirth(), NOW).ok).toBe(true);
		expect(host.handle('spBv1.0/g/NBIRTH/b', nbirth(), NOW)).toMatchObject({ ok: false, reason: 'over-limit' });
		expect(host.nodes()).toHaveLength(1);
	});

	test('metrics beyond maxMetricsPerNode are not tracked and the node says so', () => {
		const host = new SparkplugHost({ maxMetricsPerNode: 3 });
		const out = host.handle(t('NBIRTH'), nbirth(), NOW);
		expect(out.updates).toHaveLength(3);
		expect(out).toMatchObject({ status: { overLimit: true } });
		expect(host.handle(t('DBIRTH', 'm1'), dbirth(1), NOW).updates).toHaveLength(0);
	});

	test('devices beyond maxDevicesPerNode are dropped and flagged', () => {
		const host = new SparkplugHost({ maxDevicesPerNode: 1 });
		host.handle(t('NBIRTH'), nbirth(), NOW);
		expect(host.handle(t('DBIRTH', 'm1'), dbirth(1), NOW).ok).toBe(true);
		expect(host.handle(t('DBIRTH', 'm2'), dbirth(2), NOW)).toMatchObject({ ok: false, reason: 'over-limit', status: { overLimit: true } });
	});
});

test('rebirthRequest is an NCMD with Node Control/Rebirth = true', () => {
	const request = new SparkplugHost().rebirthRequest('acme', 'utilities', NOW);
	expect(request.topic).toBe('spBv1.0/acme/NCMD/utilities');
	const decoded = decodePayload(request.payload);
	expect(decoded).toMatchObject({
		ok: true,
		payload: { timestamp: NOW, metrics: [{ name: REBIRTH_METRIC, datatype: 11, value: { kind: 'boolean', value: true } }] }
	});
});
