/**
 * The UNS browser's view of the tree in the page: only what the server sent for the nodes the user opened,
 * flattened into rows for a virtualised list. Pure: no socket, no DOM.
 */
import type { UnsServerMessage, WireTreeNode, WireUnsMessage } from '$lib/shared/protocol';
import { toCsv } from '$lib/shared/csv';

export interface TreeRow {
	path: string;
	name: string;
	depth: number;
	node: WireTreeNode;
	expanded: boolean;
}

/** Most messages the detail pane keeps for one topic. */
export const MAX_DETAIL_MESSAGES = 200;

export const parentOf = (path: string): string => {
	const i = path.lastIndexOf('/');
	return i === -1 ? '' : path.slice(0, i);
};
export const nameOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

const byName = (a: string, b: string) => {
	const x = nameOf(a);
	const y = nameOf(b);
	return x < y ? -1 : x > y ? 1 : 0;
};

export class UnsModel {
	readonly nodes = new Map<string, WireTreeNode>();
	/** Parent path → child paths, sorted by name. */
	readonly #children = new Map<string, string[]>();
	readonly expanded = new Set<string>();
	/** Open path → children the server has (it sends the first ones only). */
	readonly totals = new Map<string, number>();
	#rows: TreeRow[] | null = null;

	/** Applies a `tree` message (snapshot or batch). */
	applyTree(msg: Extract<UnsServerMessage, { type: 'tree' }>): void {
		if (msg.path !== undefined) {
			// A snapshot replaces what we had under this node (children may have gone after a reconnect).
			this.#children.set(msg.path, []);
			if (msg.total !== undefined) this.totals.set(msg.path, msg.total);
		}
		for (const node of msg.nodes) this.#put(node);
		this.#rows = null;
	}

	expand(path: string): void {
		this.expanded.add(path);
		this.#rows = null;
	}

	/** Collapses `path`; returns the open paths below it (and itself) the server should close. */
	collapse(path: string): string[] {
		const closed: string[] = [];
		for (const p of this.expanded) if (p === path || p.startsWith(`${path}/`)) closed.push(p);
		for (const p of closed) this.expanded.delete(p);
		this.#rows = null;
		return closed;
	}

	/** Visible rows: the root's children, and the children of every expanded node, depth first. */
	rows(): TreeRow[] {
		if (this.#rows) return this.#rows;
		const rows: TreeRow[] = [];
		const walk = (parent: string, depth: number) => {
			for (const path of this.#children.get(parent) ?? []) {
				const node = this.nodes.get(path)!;
				const expanded = this.expanded.has(path);
				rows.push({ path, name: nameOf(path), depth, node, expanded });
				if (expanded) walk(path, depth + 1);
			}
		};
		walk('', 0);
		this.#rows = rows;
		return rows;
	}

	/** Children the server did not send for an open node (reach them by search). */
	hidden(path: string): number {
		return Math.max(0, (this.totals.get(path) ?? 0) - (this.#children.get(path)?.length ?? 0));
	}

	#put(node: WireTreeNode): void {
		this.nodes.set(node.p, node);
		// Also for known nodes: a snapshot has just emptied their parent's list.
		const parent = parentOf(node.p);
		let list = this.#children.get(parent);
		if (!list) this.#children.set(parent, (list = []));
		// Binary insert keeps the list sorted without re-sorting every batch.
		let lo = 0;
		let hi = list.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (byName(list[mid], node.p) < 0) lo = mid + 1;
			else hi = mid;
		}
		if (list[lo] !== node.p) list.splice(lo, 0, node.p);
	}
}

/** The rows of a virtualised list that are in view (plus `overscan` either side). */
export function visibleRange(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan = 5): { start: number; end: number } {
	const start = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
	const end = Math.min(count, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan);
	return { start, end: Math.max(start, end) };
}

/** A message of the detail pane. */
export interface DetailMessage {
	seq: number;
	ts: number;
	text: string;
	retained: boolean;
}

export const fromWire = ([seq, ts, text, retained]: WireUnsMessage): DetailMessage => ({ seq, ts, text, retained: retained === 1 });

/** Appends messages, keeping at most `max` (the newest). */
export function appendMessages(list: DetailMessage[], more: DetailMessage[], max = MAX_DETAIL_MESSAGES): DetailMessage[] {
	const all = [...list, ...more.filter((m) => list.length === 0 || m.seq > list[list.length - 1].seq)];
	return all.length > max ? all.slice(all.length - max) : all;
}

/** The payload as pretty JSON when it parses, else as it is. */
export function prettyPayload(text: string): { json: boolean; text: string } {
	try {
		return { json: true, text: JSON.stringify(JSON.parse(text), null, 2) };
	} catch {
		return { json: false, text };
	}
}

export type DiffLine = { key: string; kind: 'added' | 'removed' | 'changed'; before?: string; after?: string };

/**
 * What changed between two consecutive payloads: per top-level key for JSON objects (nested values compared
 * as JSON), else the whole payload as one `value` line. Empty when equal.
 */
export function diffPayloads(before: string, after: string): DiffLine[] {
	const a = parseObject(before);
	const b = parseObject(after);
	if (!a || !b) return before === after ? [] : [{ key: 'value', kind: 'changed', before, after }];
	const lines: DiffLine[] = [];
	for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
		const x = key in a ? JSON.stringify(a[key]) : undefined;
		const y = key in b ? JSON.stringify(b[key]) : undefined;
		if (x === y) continue;
		if (x === undefined) lines.push({ key, kind: 'added', after: y });
		else if (y === undefined) lines.push({ key, kind: 'removed', before: x });
		else lines.push({ key, kind: 'changed', before: x, after: y });
	}
	return lines;
}

function parseObject(text: string): Record<string, unknown> | null {
	try {
		const v: unknown = JSON.parse(text);
		return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
	} catch {
		return null;
	}
}

/**
 * The number a payload carries, for the plot: a bare number, or the `value` field of a JSON object
 * (the common UNS payload shape). Null when there is none.
 */
export function numericValue(text: string): number | null {
	let v: unknown;
	try {
		v = JSON.parse(text);
	} catch {
		return null;
	}
	if (typeof v === 'boolean') return v ? 1 : 0;
	if (v && typeof v === 'object' && !Array.isArray(v)) v = (v as Record<string, unknown>).value;
	return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The time of a payload: its `timestamp_ms` when it has a plausible one, else when the server received it. */
export function payloadTime(m: DetailMessage): number {
	try {
		const v = JSON.parse(m.text) as { timestamp_ms?: unknown };
		if (v && typeof v.timestamp_ms === 'number' && v.timestamp_ms > 946_684_800_000) return v.timestamp_ms;
	} catch {
		/* not JSON */
	}
	return m.ts;
}

/** A topic's messages as CSV for export; payloads come from any publisher, so through the guarded CSV writer. */
export function messagesCsv(path: string, messages: DetailMessage[]): string {
	return toCsv(
		['topic', 'seq', 'received_ms', 'received_iso', 'retained', 'payload'],
		messages.map((m) => [path, m.seq, m.ts, new Date(m.ts).toISOString(), m.retained ? 1 : 0, m.text])
	);
}
