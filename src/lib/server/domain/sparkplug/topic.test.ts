import { expect, test } from 'vitest';
import { isSparkplugTopic, parseSparkplugTopic } from './topic.js';

test.each([
	['spBv1.0/plant/NBIRTH/edge1', { ok: true, topic: { kind: 'node', type: 'NBIRTH', group: 'plant', edge: 'edge1' } }],
	['spBv1.0/plant/NDATA/edge1', { ok: true, topic: { kind: 'node', type: 'NDATA', group: 'plant', edge: 'edge1' } }],
	['spBv1.0/plant/NCMD/edge1', { ok: true, topic: { kind: 'node', type: 'NCMD', group: 'plant', edge: 'edge1' } }],
	['spBv1.0/plant/DDATA/edge1/pump 3', { ok: true, topic: { kind: 'device', type: 'DDATA', group: 'plant', edge: 'edge1', device: 'pump 3' } }],
	['spBv1.0/plant/DDEATH/edge1/m', { ok: true, topic: { kind: 'device', type: 'DDEATH', group: 'plant', edge: 'edge1', device: 'm' } }],
	['spBv1.0/STATE/scada-1', { ok: true, topic: { kind: 'state', hostId: 'scada-1' } }],
	['spBv1.0', { ok: false, reason: 'bad-topic' }],
	['spBv1.0/plant', { ok: false, reason: 'bad-topic' }],
	['spBv1.0/plant/NDATA', { ok: false, reason: 'bad-topic' }],
	['spBv1.0/plant/NDATA/edge1/extra', { ok: false, reason: 'bad-topic' }],
	['spBv1.0/plant/DDATA/edge1', { ok: false, reason: 'bad-topic' }],
	['spBv1.0/plant/ndata/edge1', { ok: false, reason: 'bad-topic' }],
	['spBv1.0/plant/NFOO/edge1', { ok: false, reason: 'bad-topic' }],
	['spBv1.0//NDATA/edge1', { ok: false, reason: 'bad-topic' }],
	['spBv1.0/plant/NDATA/+', { ok: false, reason: 'bad-topic' }],
	['spBv1.0/STATE', { ok: false, reason: 'bad-topic' }],
	['spBv1.0/STATE/a/b', { ok: false, reason: 'bad-topic' }],
	['spAv1.0/plant/NDATA/edge1', { ok: false, reason: 'not-sparkplug' }],
	['acme/utrecht/spBv1.0/plant/NDATA/edge1', { ok: false, reason: 'not-sparkplug' }],
	['spBv1.0x/plant/NDATA/edge1', { ok: false, reason: 'not-sparkplug' }]
])('%s', (topic, expected) => {
	expect(parseSparkplugTopic(topic)).toEqual(expected);
});

test('only the spBv1.0 namespace counts as Sparkplug', () => {
	expect(isSparkplugTopic('spBv1.0/x')).toBe(true);
	expect(isSparkplugTopic('spBv1.0')).toBe(true);
	expect(isSparkplugTopic('spBv1.0x/y')).toBe(false);
	expect(isSparkplugTopic('plant/spBv1.0/x')).toBe(false);
});
