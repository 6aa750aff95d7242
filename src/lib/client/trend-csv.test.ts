import { expect, test } from 'vitest';
import { buildTrendCsv, csvFileName } from './trend-csv';

const header = { iso: 'Time (ISO 8601)', local: 'Local time' };

test('ISO and local time, one column per pen, plain decimals, empty cells for gaps and missing values', () => {
	const t0 = Date.parse('2026-11-24T12:00:00Z');
	const csv = buildTrendCsv(
		header,
		[{ label: 'Line 1 · Filler · Product temperature', unit: '°C' }, { label: 'Count' }],
		[[t0, t0 + 1500], [6.25, null], [undefined, 1234567]],
		'Europe/Amsterdam'
	);
	expect(csv).toBe(
		'Time (ISO 8601),Local time,Line 1 · Filler · Product temperature (°C),Count\r\n' +
			'2026-11-24T12:00:00.000Z,2026-11-24 13:00:00,6.25,\r\n' +
			'2026-11-24T12:00:01.500Z,2026-11-24 13:00:01,,1234567\r\n'
	);
});

test('negative numbers stay numbers; texts that look like formulas or hold commas are guarded', () => {
	const csv = buildTrendCsv(header, [{ label: '=SUM(A1)' }, { label: 'a, "b"' }], [[0], [-1.5], [0.1]], 'UTC');
	const [head, row] = csv.split('\r\n');
	expect(head).toBe(`Time (ISO 8601),Local time,'=SUM(A1),"a, ""b"""`);
	expect(row).toBe('1970-01-01T00:00:00.000Z,1970-01-01 00:00:00,-1.5,0.1');
});

test('no rows: only the header', () => {
	expect(buildTrendCsv(header, [], [[]])).toBe('Time (ISO 8601),Local time\r\n');
});

test('file name', () => {
	expect(csvFileName(new Date(2026, 10, 24, 14, 3).getTime())).toBe('trend-2026-11-24T1403.csv');
});
