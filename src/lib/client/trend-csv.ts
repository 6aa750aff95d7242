/**
 * CSV (RFC 4180) of what a trend shows, for a spreadsheet: one row per sample time, the time in ISO 8601
 * (UTC) and as local time, then one column per pen. Numbers are written plainly (`12.5`, never `12,5`),
 * whatever the user's language, so any program reads them; a missing value or gap is an empty cell.
 * Cells go through the shared CSV writer (pen names that start like a formula are neutralised).
 */
import { DateTime } from 'luxon';
import { toCsv } from '$lib/shared/csv';
import type { Aligned } from './trend-series';

export interface CsvColumn {
	/** Already translated pen name. */
	label: string;
	unit?: string;
}

export interface CsvHeader {
	/** Translated headings of the two time columns. */
	iso: string;
	local: string;
}

/**
 * The CSV text for `data` (aligned rows, times in epoch ms).
 * @param timeZone IANA zone for the local time column; default: this machine's
 */
export function buildTrendCsv(header: CsvHeader, columns: readonly CsvColumn[], data: Aligned, timeZone?: string): string {
	const [xs, ...cols] = data;
	const head = [header.iso, header.local, ...columns.map((c) => (c.unit ? `${c.label} (${c.unit})` : c.label))];
	const rows = xs.map((x, i) => [
		new Date(x).toISOString(),
		DateTime.fromMillis(x, timeZone ? { zone: timeZone } : {}).toFormat('yyyy-MM-dd HH:mm:ss'),
		...cols.map((c) => c[i])
	]);
	return toCsv(head, rows);
}

/** A file name for the export: `trend-2026-11-24T1403.csv` (local time of `now`). */
export function csvFileName(now: number): string {
	return `trend-${DateTime.fromMillis(now).toFormat("yyyy-MM-dd'T'HHmm")}.csv`;
}
