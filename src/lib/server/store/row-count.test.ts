import { expect, test } from 'vitest';
import { RECOUNT_EVERY, RowCount } from './row-count';

test('counts on first use and every RECOUNT_EVERY uses; in between it follows what the writer reports', () => {
	let table = 100;
	let counts = 0;
	const rows = new RowCount(() => (counts++, table));
	rows.add(5); // not counted yet: ignored
	expect(rows.get()).toBe(100);
	table += 3;
	rows.add(2); // the writer missed one
	expect(rows.get()).toBe(102);
	for (let i = 2; i < RECOUNT_EVERY; i++) rows.get();
	expect(counts).toBe(1);
	expect(rows.get()).toBe(103); // recounted
	expect(counts).toBe(2);
	rows.add(-1000);
	expect(rows.get()).toBe(0);
});
