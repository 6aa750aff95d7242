/**
 * CSV (RFC 4180) for every export that opens in a spreadsheet, on the server (alarm journal, audit log,
 * UNS subtree) and in the browser (trends, a UNS topic's messages). One writer, so the formula guard
 * cannot be forgotten in one of them.
 *
 * Formula guard: a text cell that starts like a formula (`=`, `+`, `-`, `@`, tab or carriage return, also
 * after leading whitespace, which spreadsheets skip) gets a leading `'`, so a comment typed on the shop floor
 * or a payload any MQTT client published cannot run as a formula on an office PC. Numbers are written as
 * numbers (`-1.5`, never `'-1.5`): a number cannot be a formula, and a spreadsheet must read it as one.
 */

/** Starts like a formula, possibly after whitespace; tab and CR count themselves (OWASP "CSV injection"). */
const FORMULA_START = /^\s*[=+\-@\t\r]/;

/** One cell: numbers plainly (empty when not finite), objects as JSON, text guarded and quoted when needed. */
export function csvCell(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
	if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
	let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
	if (FORMULA_START.test(text)) text = `'${text}`;
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole CSV text: a header row, then `rows`, each line ended by CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
	return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
