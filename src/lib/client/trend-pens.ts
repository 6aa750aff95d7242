/**
 * The tags a trend can show, from the plant: every numeric tag (speeds, counters, process values) of every
 * machine, and the derived KPI figures (`…/_kpi/oee|availability|performance|quality`) of machines and
 * lines, grouped by line and machine for the pen picker. Labels are i18n keys (plant namespace or `trends.*`).
 */
import type { PlantView, TagKind } from '$lib/shared/plant-view';
import { KPI_SEGMENT } from '$lib/shared/uns-path';
import { plantKey } from '$lib/i18n.svelte';

export const KPI_FIGURES = ['oee', 'availability', 'performance', 'quality'] as const;
export type KpiFigure = (typeof KPI_FIGURES)[number];

/** Tag kinds the historian records as numbers. */
export const NUMERIC_KINDS: readonly TagKind[] = ['speed', 'process', 'counter'];

export interface PenDef {
	path: string;
	/** Line and machine it belongs to (machine absent for line figures and unknown paths). */
	lineId?: string;
	machineId?: string;
	kind: TagKind | 'kpi';
	/** i18n key of the pen's own name (`plant:tag.filler.speed`, `trends.kpi.oee`); absent for unknown paths. */
	labelKey?: string;
	unit?: string;
	/** Normal range in shown units. */
	range?: [number, number];
	decimals?: number;
	/** Shown value = stored value × scale (KPI fractions in %). */
	scale: number;
}

export interface PenGroup {
	lineId: string;
	/** Absent for the line's own figures. */
	machineId?: string;
	pens: PenDef[];
}

const kpiPen = (base: string, figure: KpiFigure, lineId: string, machineId?: string): PenDef => ({
	path: `${base}/${KPI_SEGMENT}/${figure}`,
	lineId,
	...(machineId !== undefined && { machineId }),
	kind: 'kpi',
	labelKey: `trends.kpi.${figure}`,
	unit: '%',
	decimals: 1,
	scale: 100
});

/** Every pen the plant offers, by line (the line's figures first), then by machine. */
export function penCatalogue(plant: PlantView): PenGroup[] {
	const groups: PenGroup[] = [];
	for (const line of plant.lines) {
		groups.push({ lineId: line.id, pens: KPI_FIGURES.map((f) => kpiPen(line.path, f, line.id)) });
		for (const m of line.machines) {
			const pens: PenDef[] = m.tags
				.filter((t) => NUMERIC_KINDS.includes(t.kind))
				.map((t) => ({
					path: t.path,
					lineId: line.id,
					machineId: m.id,
					kind: t.kind,
					labelKey: plantKey.tag(m.type, t.id),
					...(t.unit !== undefined && { unit: t.unit }),
					...(t.range !== undefined && { range: t.range }),
					decimals: t.kind === 'counter' ? 0 : t.decimals,
					scale: 1
				}));
			pens.push(...KPI_FIGURES.map((f) => kpiPen(m.path, f, line.id, m.id)));
			groups.push({ lineId: line.id, machineId: m.id, pens });
		}
	}
	return groups;
}

/** The pen for `path`; a path the plant does not declare becomes a bare pen named by its path. */
export function penFor(catalogue: readonly PenGroup[], path: string): PenDef {
	for (const g of catalogue) for (const p of g.pens) if (p.path === path) return p;
	return { path, kind: 'process', scale: 1 };
}

/**
 * Pen colours: dark and mid tones that stay apart from each other and from the alarm colours' meaning on a
 * grey background, each with its own dash so pens are told apart without colour too.
 */
export const PEN_STYLES: readonly { color: string; dash: number[] }[] = [
	{ color: '#17191c', dash: [] },
	{ color: '#0d6b5f', dash: [10, 4] },
	{ color: '#6a3d9a', dash: [2, 3] },
	{ color: '#8c510a', dash: [10, 3, 2, 3] },
	{ color: '#1f5f99', dash: [16, 4] },
	{ color: '#a3306b', dash: [4, 4] },
	{ color: '#4d6a00', dash: [12, 3, 3, 3, 3, 3] },
	{ color: '#5b5f66', dash: [1, 2] }
];

/**
 * A pen's name and where it is, translated: `{ name: 'Product temperature', place: 'Line 1 · Filler' }`.
 * A path the plant does not declare is named by its path.
 */
export function penName(t: (key: string) => string, pen: PenDef): { name: string; place: string } {
	if (!pen.labelKey || !pen.lineId) return { name: pen.path, place: '' };
	const line = t(plantKey.line(pen.lineId));
	return {
		name: t(pen.labelKey),
		place: pen.machineId ? `${line} · ${t(plantKey.machine(pen.lineId, pen.machineId))}` : line
	};
}
