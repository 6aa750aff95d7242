import fs from 'node:fs';
import { describe, expect, test } from 'vitest';
import { PlantModelError, parsePlantModel } from './load';
import { plantTags, toPlantView } from './view';

const base = JSON.parse(fs.readFileSync('config/plant.json', 'utf8'));
const FILLER = 'acme/utrecht/packaging/line1/filler';

/** The plant model with these setpoints on line 1's filler. */
function withSetpoints(setpoints: unknown[]): string {
	const plant = structuredClone(base);
	plant.lines[0].machines[0].setpoints = setpoints;
	return JSON.stringify(plant);
}

const good = { id: 'speed_target', path: `${FILLER}/speed_target`, label: { en: 'Speed target', nl: 'Snelheidsdoel' }, min: 300, max: 600, step: 10 };

describe('setpoints in the plant model', () => {
	test.each([
		['valid', [good], null],
		['min equal to max', [{ ...good, max: 300 }], 'min must be below max'],
		['min above max', [{ ...good, min: 700 }], 'min must be below max'],
		['path of another machine', [{ ...good, path: 'acme/utrecht/packaging/line1/capper/speed_target' }], `must be a tag directly under ${FILLER}/`],
		['path of another line', [{ ...good, path: 'acme/utrecht/packaging/line2/filler/speed_target' }], 'must be a tag directly under'],
		['path deeper than the machine', [{ ...good, path: `${FILLER}/sp/speed_target` }], 'must be a tag directly under'],
		['the machine itself', [{ ...good, path: FILLER }], 'must be a tag directly under'],
		['duplicate id', [good, { ...good, path: `${FILLER}/other` }], 'duplicate setpoint id "speed_target"'],
		['step not positive', [{ ...good, step: 0 }], 'step'],
		['unknown field', [{ ...good, writable: true }], 'writable'],
		['own node id', [{ ...good, nodeId: '"DB_Filler"."SpeedTarget"' }], null],
		['own node id empty', [{ ...good, nodeId: '' }], 'nodeId'],
		['own node id as a full NodeId with a namespace index', [{ ...good, nodeId: 'ns=3;s="DB_Filler"."SpeedTarget"' }], 'the namespace is the line\'s namespaceUri'],
		['own node id as a numeric NodeId', [{ ...good, nodeId: 'i=2045' }], 'the namespace is the line\'s namespaceUri'],
		['own node id with a control character', [{ ...good, nodeId: 'DB1\nSpeed' }], 'control characters'],
		['own node id that is another tag of the line', [{ ...good, nodeId: `${FILLER}/speed` }], `node "${FILLER}/speed" is already the node of ${FILLER}/speed`],
		[
			'two setpoints on one node',
			[
				{ ...good, nodeId: 'DB1.Speed' },
				{ ...good, id: 'other', path: `${FILLER}/other`, nodeId: 'DB1.Speed' }
			],
			`node "DB1.Speed" is already the node of ${FILLER}/speed_target`
		]
	])('%s', (_name, setpoints, problem) => {
		const parse = () => parsePlantModel(withSetpoints(setpoints), 'test');
		if (problem === null) expect(parse).not.toThrow();
		else { expect(parse).toThrow(PlantModelError); expect(parse).toThrow(problem); }
	});

	test('a setpoint of an MQTT line has no node id', () => {
		const plant = structuredClone(base);
		plant.lines[1].machines[0].setpoints[0].nodeId = 'DB1.Speed';
		expect(() => parsePlantModel(JSON.stringify(plant), 'test')).toThrow('lines.1.machines.0.setpoints.0.nodeId: only a setpoint of an OPC UA line has a node id');
	});

	test("a setpoint's own node id is the node its tag is read from and written to; the others keep the default mapping", () => {
		const plant = parsePlantModel(withSetpoints([{ ...good, nodeId: '"DB_Filler"."SpeedTarget"' }]), 'test');
		const refs = plantTags(plant).filter((r) => r.lineId === 'line1' && r.machineId === 'filler');
		expect(refs.find((r) => r.path === `${FILLER}/speed_target`)?.nodeIdentifier).toBe('"DB_Filler"."SpeedTarget"');
		expect(refs.find((r) => r.path === `${FILLER}/speed`)?.nodeIdentifier).toBe(`${FILLER}/speed`);
	});

	test('the shipped model: writable setpoints in the view and fed as tags of their line', () => {
		const plant = parsePlantModel(fs.readFileSync('config/plant.json', 'utf8'), 'config/plant.json');
		const view = toPlantView(plant);
		const filler1 = view.lines[0].machines.find((m) => m.id === 'filler')!;
		expect(filler1.setpoints?.map((s) => [s.id, s.min, s.max, s.step])).toEqual([
			['speed_target', 300, 600, 10],
			['product_temperature_setpoint', 4, 10, 0.5]
		]);
		expect(view.lines[0].machines.find((m) => m.id === 'capper')!.setpoints).toBeUndefined();
		const refs = plantTags(plant).filter((r) => r.path.endsWith('/speed_target'));
		expect(refs.map((r) => [r.path, r.sourceId, r.nodeIdentifier])).toEqual([
			[`${FILLER}/speed_target`, 'opcua-line1', `${FILLER}/speed_target`],
			['acme/utrecht/packaging/line2/filler/speed_target', 'mqtt', undefined]
		]);
	});
});
