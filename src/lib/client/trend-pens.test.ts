import { expect, test } from 'vitest';
import type { PlantView } from '$lib/shared/plant-view';
import { PEN_STYLES, penCatalogue, penFor, penName } from './trend-pens';
import { MAX_PENS } from './trend-view';

const L = 'acme/s/a/line1';
const plant = {
	lines: [
		{
			id: 'line1',
			path: L,
			machines: [
				{
					id: 'filler',
					type: 'filler',
					path: `${L}/filler`,
					tags: [
						{ id: 'state', path: `${L}/filler/state`, kind: 'state', label: { en: 'State', nl: 'Toestand' } },
						{ id: 'speed', path: `${L}/filler/speed`, kind: 'speed', label: { en: 'Speed', nl: 'Snelheid' }, unit: '/min', range: [0, 620], decimals: 0 },
						{ id: 'count_good', path: `${L}/filler/count_good`, kind: 'counter', label: { en: 'Good', nl: 'Goed' } },
						{ id: 't', path: `${L}/filler/t`, kind: 'process', label: { en: 'T', nl: 'T' }, unit: '°C', range: [4, 10], decimals: 1 }
					]
				}
			]
		}
	]
} as unknown as PlantView;

test('numeric tags and KPI figures, by line and machine', () => {
	const groups = penCatalogue(plant);
	expect(groups.map((g) => [g.lineId, g.machineId, g.pens.map((p) => p.path.slice(L.length + 1))])).toEqual([
		['line1', undefined, ['_kpi/oee', '_kpi/availability', '_kpi/performance', '_kpi/quality']],
		['line1', 'filler', ['filler/speed', 'filler/count_good', 'filler/t', 'filler/_kpi/oee', 'filler/_kpi/availability', 'filler/_kpi/performance', 'filler/_kpi/quality']]
	]);
	const t = groups[1].pens[2];
	expect(t).toEqual({ path: `${L}/filler/t`, lineId: 'line1', machineId: 'filler', kind: 'process', labelKey: 'plant:tag.filler.t', unit: '°C', range: [4, 10], decimals: 1, scale: 1 });
	expect(groups[1].pens[1].decimals).toBe(0);
	expect(groups[0].pens[0]).toMatchObject({ kind: 'kpi', unit: '%', scale: 100, labelKey: 'trends.kpi.oee' });
});

test('an unknown path is a bare pen named by its path', () => {
	const cat = penCatalogue(plant);
	expect(penFor(cat, `${L}/filler/t`).labelKey).toBe('plant:tag.filler.t');
	const bare = penFor(cat, 'acme/other/x');
	expect(bare).toEqual({ path: 'acme/other/x', kind: 'process', scale: 1 });
	expect(penName((k) => k, bare)).toEqual({ name: 'acme/other/x', place: '' });
});

test('names: the pen and where it is', () => {
	const cat = penCatalogue(plant);
	const t = (k: string) => `<${k}>`;
	expect(penName(t, cat[1].pens[2])).toEqual({ name: '<plant:tag.filler.t>', place: '<plant:line.line1> · <plant:machine.line1.filler>' });
	expect(penName(t, cat[0].pens[0])).toEqual({ name: '<trends.kpi.oee>', place: '<plant:line.line1>' });
});

test('a distinct colour and dash for every pen', () => {
	expect(PEN_STYLES).toHaveLength(MAX_PENS);
	expect(new Set(PEN_STYLES.map((s) => s.color)).size).toBe(MAX_PENS);
	expect(new Set(PEN_STYLES.map((s) => s.dash.join())).size).toBe(MAX_PENS);
});
