import { describe, expect, test } from 'vitest';
import { toCsv } from './csv';

describe('toCsv', () => {
	test.each([
		['plain', 'abc', 'abc'],
		['comma', 'a,b', '"a,b"'],
		['quote', 'say "hi"', '"say ""hi"""'],
		['newline', 'line\nbreak', '"line\nbreak"'],
		['formula', '=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
		['plus', '+31 6', "'+31 6"],
		['negative number as text is kept readable', '-5', "'-5"],
		['null', null, ''],
		['object', { a: 1 }, '"{""a"":1}"'],
		['number', 12.5, '12.5']
	])('%s', (_name, value, expected) => {
		expect(toCsv(['h'], [[value]])).toBe(`h\r\n${expected}\r\n`);
	});
});
