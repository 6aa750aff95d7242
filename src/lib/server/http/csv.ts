/**
 * CSV (RFC 4180) for exports that open in a spreadsheet. A cell that starts like a formula (= + - @) is
 * prefixed with ' so a comment typed on the shop floor cannot run as a formula on an office PC.
 */
export function toCsv(header: string[], rows: unknown[][]): string {
	return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

function cell(value: unknown): string {
	if (value === null || value === undefined) return '';
	let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
	if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
