import fs from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parsePlantModel, PlantModelError } from './load';
import { plantTags, toPlantView } from './view';
import { localText } from '$lib/shared/languages';

const shipped = fs.readFileSync('config/plant.json', 'utf8');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the cases break the model in ways no type of it allows
function withChange(change: (model: Record<string, any>) => void): string {
	const model = JSON.parse(shipped);
	change(model);
	return JSON.stringify(model);
}

describe('plant model', () => {
	test('the shipped model is valid and maps both lines', () => {
		const plant = parsePlantModel(shipped, 'config/plant.json');
		const tags = plantTags(plant);
		expect(tags.find((t) => t.path === 'acme/utrecht/packaging/line1/filler/product_temperature')).toMatchObject({
			sourceId: 'opcua-line1',
			nodeIdentifier: 'acme/utrecht/packaging/line1/filler/product_temperature'
		});
		expect(tags.find((t) => t.path === 'acme/utrecht/packaging/line2/capper/torque')).toMatchObject({ sourceId: 'mqtt' });
		expect(tags.filter((t) => t.lineId === 'line2').every((t) => t.nodeIdentifier === undefined)).toBe(true);
	});

	test('the browser view has paths and no connection details', () => {
		const view = toPlantView(parsePlantModel(shipped, 'x'));
		expect(view.lines[0].machines[0].tags.find((t) => t.id === 'product_temperature')).toMatchObject({
			path: 'acme/utrecht/packaging/line1/filler/product_temperature',
			unit: '°C',
			range: [4, 10]
		});
		expect(JSON.stringify(view)).not.toContain('opc.tcp');
	});

	test('the browser view carries the alarm limits of each tag by level, and none for a tag without alarms', () => {
		const tags = toPlantView(parsePlantModel(shipped, 'x')).lines[0].machines[0].tags;
		expect(tags.find((t) => t.id === 'product_temperature')?.limits).toEqual({ l: 4, h: 10, hh: 12 });
		expect(tags.find((t) => t.id === 'co2_pressure')?.limits).toEqual({ ll: 2.2, l: 2.5, h: 4, hh: 4.4 });
		expect(tags.find((t) => t.id === 'fill_flow')).not.toHaveProperty('limits');
	});

	test('a text without a translation loads, and reads as English in that language', () => {
		const plant = parsePlantModel(
			withChange((m) => delete m.label.nl),
			'plant.json'
		);
		expect(plant.label).toEqual({ en: JSON.parse(shipped).label.en });
		expect(localText(plant.label, 'nl')).toBe(JSON.parse(shipped).label.en);
	});

	test.each([
		['not JSON', () => '{', /not valid JSON/],
		['unknown machine type', () => withChange((m) => (m.lines[0].machines[0].type = 'palletizer')), /lines\.0\.machines\.0\.type: unknown machine type "palletizer"/],
		['duplicate line', () => withChange((m) => m.lines.push(structuredClone(m.lines[0]))), /duplicate line id "line1"/],
		['bad segment', () => withChange((m) => (m.site = 'Utrecht Site')), /site: must be lower-case/],
		['inverted range', () => withChange((m) => (m.machineTypes.filler.tags[6].range = [10, 4])), /range must be \[low, high\]/],
		['label without English', () => withChange((m) => delete m.label.en), /label\.en: every text needs "en"/],
		['label in an unsupported language', () => withChange((m) => (m.label.xx = 'Fabriek')), /label\.xx: "xx" is not a supported language/],
		['bad endpoint', () => withChange((m) => (m.lines[0].source.endpoint = 'http://plc')), /endpoint: must start with opc\.tcp/],
		['unknown key', () => withChange((m) => (m.lnes = [])), /Unrecognized key/],
		['type without state tag', () => withChange((m) => m.machineTypes.capper.tags.shift()), /needs a "state" tag/]
	])('%s gives a clear error', (_name, text, message) => {
		expect(() => parsePlantModel(text(), 'plant.json')).toThrow(PlantModelError);
		expect(() => parsePlantModel(text(), 'plant.json')).toThrow(message);
	});
});
