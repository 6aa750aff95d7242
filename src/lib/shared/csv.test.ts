import { describe, expect, test } from 'vitest';
import { csvCell, toCsv } from './csv';

describe('toCsv', () => {
	test.each([
		['plain', 'abc', 'abc'],
		['comma', 'a,b', '"a,b"'],
		['quote', 'say "hi"', '"say ""hi"""'],
		['newline', 'line\nbreak', '"line\nbreak"'],
		['formula', '=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
		['plus', '+31 6', "'+31 6"],
		['at', '@SUM(A1)', "'@SUM(A1)"],
		['negative number as text is kept readable', '-5', "'-5"],
		['tab', '\t=1', "'\t=1"],
		['carriage return', '\r=1', `"'\r=1"`],
		['formula after spaces (spreadsheets skip them)', '   =1+1', "'   =1+1"],
		['formula after a line break', '\n=1+1', `"'\n=1+1"`],
		['formula after a no-break space', '\u00a0=1+1', "'\u00a0=1+1"],
		['an equals sign later is harmless', 'a=b', 'a=b'],
		['null', null, ''],
		['undefined', undefined, ''],
		['object', { a: 1 }, '"{""a"":1}"'],
		['object whose JSON starts like a formula', ['=1'], `"[""=1""]"`],
		['number', 12.5, '12.5'],
		['a negative number stays a number', -1.5, '-1.5'],
		['not a finite number is empty', Number.NaN, ''],
		['boolean', true, 'true']
	])('%s', (_name, value, expected) => {
		expect(csvCell(value)).toBe(expected);
		expect(toCsv(['h'], [[value]])).toBe(`h\r\n${expected}\r\n`);
	});

	test('the header is guarded like any cell', () => {
		expect(toCsv(['=x', 'b'], [])).toBe("'=x,b\r\n");
	});
});
