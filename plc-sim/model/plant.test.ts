import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { NAMESPACE_URI, RESOURCE_PATH } from '../opcua-server.js';
import { AREA, ENTERPRISE, LINE_IDS, MACHINE_IDS, REASON, SITE, isFaultReason, machineTags } from './plant.js';

/** The HMI's plant model: the simulator must publish exactly what it expects. */
const plant = JSON.parse(readFileSync(new URL('../../config/plant.json', import.meta.url), 'utf8')) as {
	enterprise: string;
	site: string;
	area: string;
	reasons: { code: number; kind: string }[];
	machineTypes: Record<string, { tags: { id: string; range?: [number, number] }[] }>;
	lines: { id: string; source: { kind: string; endpoint?: string; namespaceUri?: string }; machines: { id: string; type: string }[] }[];
};

test('UNS names match config/plant.json', () => {
	expect([plant.enterprise, plant.site, plant.area]).toEqual([ENTERPRISE, SITE, AREA]);
	expect(plant.lines.map((l) => l.id)).toEqual([...LINE_IDS]);
	for (const line of plant.lines) expect(line.machines.map((m) => m.id)).toEqual([...MACHINE_IDS]);
});

test('line 1 is OPC UA at our namespace and resource path, line 2 is MQTT', () => {
	const [line1, line2] = plant.lines;
	expect(line1.source.kind).toBe('opcua');
	expect(line1.source.namespaceUri).toBe(NAMESPACE_URI);
	expect(line1.source.endpoint).toBe(`opc.tcp://127.0.0.1:4840${RESOURCE_PATH}`);
	expect(line2.source.kind).toBe('mqtt');
});

test.each(MACHINE_IDS)('%s tags and normal ranges match config/plant.json', (machine) => {
	const theirs = plant.machineTypes[machine].tags;
	const ours = machineTags(machine);
	expect(ours.map((t) => t.id)).toEqual(theirs.map((t) => t.id));
	for (const t of theirs) expect(ours.find((o) => o.id === t.id)?.range).toEqual(t.range);
});

test('every reason code we report is listed in config/plant.json', () => {
	const codes = new Map(plant.reasons.map((r) => [r.code, r.kind]));
	for (const code of Object.values(REASON)) expect(codes.has(code)).toBe(true);
	for (const [code, kind] of codes) expect(isFaultReason(code)).toBe(kind === 'fault');
});
