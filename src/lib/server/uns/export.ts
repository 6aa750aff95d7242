import type { UnsNode } from '../domain/uns/uns-tree';
import { toCsv } from '$lib/shared/csv';

/** Most topics one export holds. */
export const MAX_EXPORT_TOPICS = 100_000;

export interface ExportRow {
	topic: string;
	value: string;
	kind: string;
	ts: number;
	origin: string;
	retained: boolean;
	/** The value is not current (source down, Sparkplug death, quality not good). */
	stale: boolean;
	warnings: string[];
}

/** The current value of every topic at or below `root`, depth first, at most `max`. */
export function subtreeValues(root: UnsNode, max = MAX_EXPORT_TOPICS): { rows: ExportRow[]; truncated: boolean } {
	const rows: ExportRow[] = [];
	const stack: UnsNode[] = [root];
	while (stack.length > 0) {
		const node = stack.pop()!;
		const t = node.topic;
		if (t) {
			if (rows.length === max) return { rows, truncated: true };
			rows.push({ topic: node.path, value: t.preview, kind: t.kind, ts: node.lastTs, origin: node.origin, retained: t.retained, stale: t.stale, warnings: [...t.warnings] });
		}
		if (node.children) {
			const kids = [...node.children.values()];
			for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
		}
	}
	return { rows, truncated: false };
}

/** Topic values come from any publisher: the shared CSV writer neutralises cells that would run as formulas. */
export function rowsToCsv(rows: ExportRow[]): string {
	return toCsv(
		['topic', 'value', 'kind', 'ts_ms', 'origin', 'retained', 'warnings', 'stale'],
		rows.map((r) => [r.topic, r.value, r.kind, r.ts, r.origin, r.retained ? 1 : 0, r.warnings.join(' '), r.stale ? 1 : 0])
	);
}
