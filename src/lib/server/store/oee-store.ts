import type { ShiftTotals } from '../domain/oee/tracker';
import type { Db } from './db';
import type { StorageGuard, WriteOutcome } from './storage-guard';

/** OEE totals per machine and shift in SQLite: yesterday's shifts are still there after a restart. */
export class OeeStore {
	readonly #upsert;

	constructor(
		private readonly db: Db,
		private readonly guard: StorageGuard
	) {
		this.#upsert = db.prepare(
			`INSERT INTO oee_shift (machine_path, shift_key, start, totals, updated_at) VALUES (?, ?, ?, ?, ?)
			 ON CONFLICT(machine_path, shift_key) DO UPDATE SET totals = excluded.totals, updated_at = excluded.updated_at`
		);
	}

	/** Saves a shift's totals (or, while the database refuses writes, keeps the newest totals of it for later). */
	save(machinePath: string, totals: ShiftTotals, now: number): WriteOutcome {
		const json = JSON.stringify(totals);
		return this.guard.write('oee', { machinePath, shift: totals.key }, () => this.#upsert.run(machinePath, totals.key, totals.start, json, now), {
			key: `${machinePath}|${totals.key}`
		});
	}

	/** A saved shift; undefined (logged) when the database cannot be read, so the engine starts anyway. */
	load(machinePath: string, shiftKey: string): ShiftTotals | undefined {
		return this.guard.read(
			'OEE shift',
			() => {
				const row = this.db.prepare('SELECT totals FROM oee_shift WHERE machine_path = ? AND shift_key = ?').get(machinePath, shiftKey) as
					| { totals: string }
					| undefined;
				return row && (JSON.parse(row.totals) as ShiftTotals);
			},
			undefined
		);
	}

	/**
	 * The newest `count` shifts of a machine that started before `before`, newest first.
	 * Throws StorageUnavailableError when the database cannot be read.
	 */
	recent(machinePath: string, before: number, count: number): ShiftTotals[] {
		return this.guard.readOrThrow('OEE shifts', () => {
			const rows = this.db
				.prepare('SELECT totals FROM oee_shift WHERE machine_path = ? AND start < ? ORDER BY start DESC LIMIT ?')
				.all(machinePath, before, count) as { totals: string }[];
			return rows.map((r) => JSON.parse(r.totals) as ShiftTotals);
		});
	}
}
