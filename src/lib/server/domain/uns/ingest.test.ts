import { describe, expect, test } from 'vitest';
import { Quality } from '$lib/shared/protocol';
import { encodePayload, type EncodableMetric } from '../sparkplug/codec';
import { SparkplugHost } from '../sparkplug/host';
import { TagStore } from '../tags/tag-store';
import { MAX_PATH_LENGTH, MAX_PATH_LEVELS } from '$lib/shared/uns-path';
import { UnsIngest } from './ingest';
import { UnsTree } from './uns-tree';
import type { WritePolicy } from '../tags/write-policy';

const NOW = 1_800_000_000_000;
const p = (seq: number | undefined, metrics: EncodableMetric[]) => encodePayload({ seq, timestamp: NOW, metrics });
const enc = (s: string) => new TextEncoder().encode(s);

function setup() {
	const tree = new UnsTree();
	const ingest = new UnsIngest(tree, new SparkplugHost());
	return { tree, ingest };
}

describe('Sparkplug B into the tree', () => {
	test('metrics become nodes under group/edge/device, named by metric name even when data comes by alias', () => {
		const { tree, ingest } = setup();
		ingest.mqttMessage(
			'spBv1.0/plant/NBIRTH/edge1',
			p(0, [
				{ name: 'bdSeq', datatype: 'Int64', value: 0 },
				{ name: 'Compressor/Pressure', alias: 2, datatype: 'Double', value: 6.8 }
			]),
			false,
			NOW
		);
		ingest.mqttMessage('spBv1.0/plant/DBIRTH/edge1/meter1', p(1, [{ name: 'Power', alias: 10, datatype: 'Float', value: 12.5 }]), false, NOW);
		ingest.mqttMessage('spBv1.0/plant/NDATA/edge1', p(2, [{ alias: 2, datatype: 'Double', value: 7.25 }]), false, NOW + 1);
		ingest.mqttMessage('spBv1.0/plant/DDATA/edge1/meter1', p(3, [{ alias: 10, datatype: 'Float', value: 13 }]), false, NOW + 2);

		const pressure = tree.find('spBv1.0/plant/edge1/Compressor/Pressure')!;
		expect(pressure.topic).toMatchObject({ preview: '7.25', kind: 'sparkplug' });
		expect(pressure.messages).toBe(2);
		expect(pressure.origin).toBe('sparkplug');
		expect(tree.find('spBv1.0/plant/edge1/meter1/Power')!.topic!.preview).toBe('13');
		// No node named by the alias, and the raw Sparkplug topics are not shown as topics.
		expect(tree.search('spBv1.0/plant/edge1/2', 10).paths).toEqual([]);
		expect(tree.find('spBv1.0/plant/NDATA')).toBeUndefined();
		expect(tree.find('spBv1.0/plant/edge1')!.edge).toMatchObject({ online: true, seqGaps: 0, rebirthNeeded: false });
	});

	test('when the broker connection drops, edge nodes show offline until their next birth', () => {
		const { tree, ingest } = setup();
		const birth = () => p(0, [{ name: 'bdSeq', datatype: 'Int64', value: 0 }, { name: 'X', alias: 1, datatype: 'Double', value: 1 }]);
		ingest.mqttMessage('spBv1.0/plant/NBIRTH/edge1', birth(), false, NOW);
		expect(tree.find('spBv1.0/plant/edge1')!.edge!.online).toBe(true);
		ingest.connectionLost();
		expect(tree.find('spBv1.0/plant/edge1')!.edge).toMatchObject({ online: false, rebirthNeeded: true });
		// Its metrics are marked stale, which is not a message.
		expect(tree.find('spBv1.0/plant/edge1/X')).toMatchObject({ messages: 1, topic: { stale: true, preview: '1' } });
		// Data without a birth after the reconnect is refused by the host: nothing fresh reaches the tree.
		ingest.mqttMessage('spBv1.0/plant/NDATA/edge1', p(1, [{ alias: 1, datatype: 'Double', value: 2 }]), false, NOW + 500);
		expect(tree.find('spBv1.0/plant/edge1/X')).toMatchObject({ messages: 1, topic: { stale: true, preview: '1' } });
		ingest.mqttMessage('spBv1.0/plant/NBIRTH/edge1', birth(), false, NOW + 1000);
		expect(tree.find('spBv1.0/plant/edge1')!.edge).toMatchObject({ online: true, rebirthNeeded: false });
		expect(tree.find('spBv1.0/plant/edge1/X')!.topic!.stale).toBe(false);
	});

	test('deaths mark metrics stale without counting a message; a device death shows on the device', () => {
		const { tree, ingest } = setup();
		ingest.mqttMessage('spBv1.0/plant/NBIRTH/edge1', p(0, [{ name: 'bdSeq', datatype: 'Int64', value: 0 }, { name: 'X', alias: 1, datatype: 'Double', value: 1 }]), false, NOW);
		ingest.mqttMessage('spBv1.0/plant/DBIRTH/edge1/meter1', p(1, [{ name: 'Power', alias: 10, datatype: 'Float', value: 12.5 }]), false, NOW);
		const counts = () => ({
			edge: tree.find('spBv1.0/plant/edge1')!.messages,
			power: tree.find('spBv1.0/plant/edge1/meter1/Power')!.messages,
			history: tree.history(tree.find('spBv1.0/plant/edge1/meter1/Power')!).length
		});
		const before = counts();
		expect(before).toEqual({ edge: 3, power: 1, history: 1 });

		ingest.mqttMessage('spBv1.0/plant/DDEATH/edge1/meter1', p(2, []), false, NOW + 1000);
		expect(counts()).toEqual(before);
		expect(tree.find('spBv1.0/plant/edge1/meter1/Power')!.topic!.stale).toBe(true);
		expect(tree.find('spBv1.0/plant/edge1/X')!.topic!.stale).toBe(false);
		expect(tree.find('spBv1.0/plant/edge1/meter1')!.edge).toMatchObject({ online: false });
		expect(tree.find('spBv1.0/plant/edge1')!.edge).toMatchObject({ online: true });

		ingest.mqttMessage('spBv1.0/plant/NDEATH/edge1', p(undefined, [{ name: 'bdSeq', datatype: 'Int64', value: 0 }]), false, NOW + 2000);
		expect(counts()).toEqual(before);
		expect(tree.find('spBv1.0/plant/edge1/X')!.topic!.stale).toBe(true);
		expect(tree.find('spBv1.0/plant/edge1')!.edge).toMatchObject({ online: false });
	});

	test("a metric keeps its own timestamp; one a rebirth no longer lists is marked stale, the device's are left to their own birth", () => {
		const { tree, ingest } = setup();
		const metricTs = NOW - 60_000;
		ingest.mqttMessage(
			'spBv1.0/plant/NBIRTH/edge1',
			p(0, [
				{ name: 'bdSeq', datatype: 'Int64', value: 0 },
				{ name: 'A', alias: 1, datatype: 'Double', value: 1, timestamp: metricTs },
				{ name: 'B', alias: 2, datatype: 'Double', value: 2 }
			]),
			false,
			NOW
		);
		ingest.mqttMessage('spBv1.0/plant/DBIRTH/edge1/meter1', p(1, [{ name: 'Power', alias: 10, datatype: 'Float', value: 12.5 }]), false, NOW);
		expect(tree.history(tree.find('spBv1.0/plant/edge1/A')!)[0].ts).toBe(metricTs);
		ingest.mqttMessage('spBv1.0/plant/NBIRTH/edge1', p(0, [{ name: 'bdSeq', datatype: 'Int64', value: 1 }, { name: 'A', alias: 1, datatype: 'Double', value: 3 }]), false, NOW + 1000);
		expect(tree.find('spBv1.0/plant/edge1/A')!.topic).toMatchObject({ stale: false, preview: '3' });
		expect(tree.find('spBv1.0/plant/edge1/B')!.topic).toMatchObject({ stale: true, preview: '2' });
		expect(tree.find('spBv1.0/plant/edge1/B')!.messages).toBe(1);
	});
});

describe('topics the tree does not take', () => {
	const deep = (levels: number) => Array.from({ length: levels }, (_, i) => `l${i}`).join('/');
	test.each([
		['a topic at the length limit', 'a/' + 'x'.repeat(MAX_PATH_LENGTH - 2), 0],
		['a topic one character over it', 'a/' + 'x'.repeat(MAX_PATH_LENGTH - 1), 1],
		[`${MAX_PATH_LEVELS} levels`, deep(MAX_PATH_LEVELS), 0],
		[`${MAX_PATH_LEVELS + 1} levels`, deep(MAX_PATH_LEVELS + 1), 1],
		['20,000 levels (64 KB of MQTT topic)', deep(20_000), 1],
		['an empty level', 'a//b', 1]
	])('%s: dropped %i', (_label, topic, dropped) => {
		const { tree, ingest } = setup();
		ingest.mqttMessage(topic, enc('1'), false, NOW);
		expect(ingest.stats.droppedTopics).toBe(dropped);
		expect(tree.nodeCount).toBe(dropped ? 1 : topic.split('/').length + 1);
		expect(ingest.stats.messages).toBe(1);
	});

	test('a Sparkplug metric whose name would make the path too deep is dropped, the others kept', () => {
		const { tree, ingest } = setup();
		ingest.mqttMessage(
			'spBv1.0/plant/NBIRTH/edge1',
			p(0, [
				{ name: 'bdSeq', datatype: 'Int64', value: 0 },
				{ name: deep(40), alias: 1, datatype: 'Double', value: 1 },
				{ name: 'ok', alias: 2, datatype: 'Double', value: 2 }
			]),
			false,
			NOW
		);
		expect(ingest.stats.droppedTopics).toBe(1);
		expect(tree.find('spBv1.0/plant/edge1/ok')!.topic!.preview).toBe('2');
		expect(tree.find('spBv1.0/plant/edge1/l0')).toBeUndefined();
	});

	test('a sequence gap shows on the edge node; a malformed payload is counted, not thrown', () => {
		const { tree, ingest } = setup();
		ingest.mqttMessage('spBv1.0/plant/NBIRTH/edge1', p(0, [{ name: 'bdSeq', datatype: 'Int64', value: 0 }, { name: 'X', alias: 1, datatype: 'Double', value: 1 }]), false, NOW);
		ingest.mqttMessage('spBv1.0/plant/NDATA/edge1', p(5, [{ alias: 1, datatype: 'Double', value: 2 }]), false, NOW);
		expect(tree.find('spBv1.0/plant/edge1')!.edge!.seqGaps).toBe(1);
		ingest.mqttMessage('spBv1.0/plant/NDATA/edge1', new Uint8Array([0xff, 0xff, 0xff]), false, NOW);
		expect(ingest.stats.sparkplugFailures).toBeGreaterThanOrEqual(1);
	});
});

describe('plain MQTT and the tag store', () => {
	test('raw messages keep payload and retain flag; tag-store values from MQTT are not counted twice', () => {
		const { tree, ingest } = setup();
		ingest.mqttMessage('acme/a/b', enc('{"value":1,"timestamp_ms":1800000000000}'), true, NOW);
		const store = new TagStore();
		store.subscribe((tag) => ingest.tag(tag));
		store.apply({ path: 'acme/a/b', value: 1, quality: Quality.Good, sourceTs: NOW, serverTs: NOW, origin: 'mqtt' });
		store.apply({ path: 'acme/l1/speed', value: 12.5, quality: Quality.Good, sourceTs: NOW, serverTs: NOW, origin: 'opcua-line1' });
		store.apply({ path: '_kpi/line1/oee', value: 0.8, quality: Quality.Good, sourceTs: NOW, serverTs: NOW, origin: 'oee' });
		expect(tree.find('acme/a/b')).toMatchObject({ messages: 1, topic: { retained: true, kind: 'json' } });
		expect(tree.find('acme/l1/speed')).toMatchObject({ origin: 'opcua-line1', topic: { preview: '12.5' } });
		expect(tree.find('_kpi/line1/oee')!.origin).toBe('oee');
		// The OPC UA source goes down: its tags turn stale, which is not a message.
		store.markOriginStale('opcua-line1', NOW + 5000);
		expect(tree.find('acme/l1/speed')).toMatchObject({ messages: 1, lastTs: NOW, topic: { stale: true } });
		expect(tree.history(tree.find('acme/l1/speed')!)).toHaveLength(1);
		store.apply({ path: 'acme/l1/speed', value: 12.5, quality: Quality.Good, sourceTs: NOW + 6000, serverTs: NOW + 6000, origin: 'opcua-line1' });
		expect(tree.find('acme/l1/speed')).toMatchObject({ messages: 2, topic: { stale: false } });
		// A new value with a bad quality is a message, shown as not current.
		store.apply({ path: 'acme/l1/speed', value: 0, quality: Quality.Bad, sourceTs: NOW + 7000, serverTs: NOW + 7000, origin: 'opcua-line1' });
		expect(tree.find('acme/l1/speed')).toMatchObject({ messages: 3, topic: { stale: true, preview: '0' } });
	});
});

describe('paths MQTT does not own', () => {
	// A policy by table, as the plant model's ownership answers for the MQTT source.
	const policy: WritePolicy = {
		check: (path) => (path.includes('/_alarms/') ? 'derived-namespace' : path.startsWith('plant/line1/') ? 'not-owner' : path.startsWith('plant/line2/') ? null : 'undeclared')
	};
	const record = JSON.stringify({ state: 'unack_active', priority: 1 });

	test("a publisher's claim of an alarm or of an OPC UA line's tag never shows at that path; the real value does", () => {
		const tree = new UnsTree();
		const store = new TagStore();
		const ingest = new UnsIngest(tree, null, policy);
		store.subscribe((tag) => ingest.tag(tag));
		store.apply({ path: 'plant/line2/filler/_alarms/estop', value: { state: 'unack_active' }, quality: Quality.Good, sourceTs: NOW, serverTs: NOW, origin: 'alarms' });
		store.apply({ path: 'plant/line1/filler/state', value: 'running', quality: Quality.Good, sourceTs: NOW, serverTs: NOW, origin: 'opcua-line1' });

		ingest.mqttMessage('plant/line2/filler/_alarms/estop', enc(JSON.stringify({ state: 'normal' })), true, NOW + 1);
		ingest.mqttMessage('plant/line1/filler/state', enc('"planned_stop"'), false, NOW + 1);

		expect(tree.find('plant/line2/filler/_alarms/estop')!.topic!.preview).toContain('unack_active');
		expect(tree.find('plant/line1/filler/state')!.topic!.preview).toBe('running');
		expect(ingest.stats.notOwned).toBe(2);
	});

	test("the MQTT line's own tags and topics nobody declares are browsed as they come", () => {
		const tree = new UnsTree();
		const ingest = new UnsIngest(tree, null, policy);
		ingest.mqttMessage('plant/line2/filler/state', enc('"running"'), false, NOW);
		ingest.mqttMessage('erp/orders/1', enc(record), false, NOW);
		expect(tree.find('plant/line2/filler/state')).toBeDefined();
		expect(tree.find('erp/orders/1')).toBeDefined();
		expect(ingest.stats.notOwned).toBe(0);
	});
});
