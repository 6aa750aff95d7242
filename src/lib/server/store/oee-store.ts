import type { ShiftTotals } from '../domain/oee/tracker';
import type { Db } from './db';

/** OEE totals per machine and shift in SQLite: yesterday's shifts are still there after a restart. */
export class OeeStore {
	constructor(private readonly db: Db) {}

	save(machinePath: string, totals: ShiftTotals, now: number): void {
		this.db
			.prepare(
				`INSERT INTO oee_shift (machine_path, shift_key, start, totals, updated_at) VALUES (?, ?, ?, ?, ?)
				 ON CONFLICT(machine_path, shift_key) DO UPDATE SET totals = excluded.totals, updated_at = excluded.updated_at`
			)
			.run(machinePath, totals.key, totals.start, JSON.stringify(totals), now);
	}

	load(machinePath: string, shiftKey: string): ShiftTotals | undefined {
		const row = this.db.prepare('SELECT totals FROM oee_shift WHERE machine_path = ? AND shift_key = ?').get(machinePath, shiftKey) as
			| { totals: string }
			| undefined;
		return row && (JSON.parse(row.totals) as ShiftTotals);
	}

	/** The newest `count` shifts of a machine that started before `before`, newest first. */
	recent(machinePath: string, before: number, count: number): ShiftTotals[] {
		const rows = this.db
			.prepare('SELECT totals FROM oee_shift WHERE machine_path = ? AND start < ? ORDER BY start DESC LIMIT ?')
			.all(machinePath, before, count) as { totals: string }[];
		return rows.map((r) => JSON.parse(r.totals) as ShiftTotals);
	}
}
