/**
 * CSV (RFC 4180) of what a trend shows, for a spreadsheet: one row per sample time, the time in ISO 8601
 * (UTC) and as local time, then one column per pen. Numbers are written plainly (`12.5`, never `12,5`),
 * whatever the user's language, so any program reads them; a missing value or gap is an empty cell.
 */
import { DateTime } from 'luxon';
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

/** A text cell; one that starts like a formula (= + - @) gets a leading ' so it cannot run in a spreadsheet. */
function text(value: string): string {
	let t = value;
	if (/^[=+\-@\t\r]/.test(t)) t = `'${t}`;
	return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

/** A number cell: plain JavaScript notation with a `.`, no thousands separators; empty for no value. */
function num(value: number | null | undefined): string {
	return typeof value === 'number' && Number.isFinite(value) ? String(value) : '';
}

/**
 * The CSV text for `data` (aligned rows, times in epoch ms).
 * @param timeZone IANA zone for the local time column; default: this machine's
 */
export function buildTrendCsv(header: CsvHeader, columns: readonly CsvColumn[], data: Aligned, timeZone?: string): string {
	const [xs, ...cols] = data;
	const head = [header.iso, header.local, ...columns.map((c) => (c.unit ? `${c.label} (${c.unit})` : c.label))].map(text);
	const lines = [head.join(',')];
	for (let i = 0; i < xs.length; i++) {
		const local = DateTime.fromMillis(xs[i], timeZone ? { zone: timeZone } : {}).toFormat('yyyy-MM-dd HH:mm:ss');
		lines.push([new Date(xs[i]).toISOString(), local, ...cols.map((c) => num(c[i]))].join(','));
	}
	return lines.join('\r\n') + '\r\n';
}

/** A file name for the export: `trend-2026-11-24T1403.csv` (local time of `now`). */
export function csvFileName(now: number): string {
	return `trend-${DateTime.fromMillis(now).toFormat("yyyy-MM-dd'T'HHmm")}.csv`;
}
