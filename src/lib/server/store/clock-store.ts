import type { BootReading, JumpWhileDown } from '../domain/time/clock-jump';
import type { ClockJump } from '../domain/time/retention';
import type { Db } from './db';

/** How a remembered jump was found: while running, or at start (see `jumpWhileDown`). */
export type JumpFoundHow = 'running' | JumpWhileDown['how'];

/**
 * SQL for what the HMI remembers about the wall clock: the jumps it found (oldest first; retention corrects
 * ages by them) and one note of the clock against the time since boot (compared at the next start). Raw
 * statements: the callers write through the storage guard.
 */
export class ClockStore {
	readonly #insertJump;
	readonly #jumps;
	readonly #forget;
	readonly #saveAnchor;
	readonly #anchor;
	readonly #newestStamps;

	constructor(db: Db) {
		this.#insertJump = db.prepare('INSERT INTO clock_jumps (before_wall, after_wall, delta, how) VALUES (?, ?, ?, ?)');
		this.#jumps = db.prepare('SELECT before_wall AS before, after_wall AS after, delta FROM clock_jumps ORDER BY id');
		this.#forget = db.prepare('DELETE FROM clock_jumps WHERE id IN (SELECT id FROM clock_jumps ORDER BY id LIMIT ?)');
		this.#saveAnchor = db.prepare(
			'INSERT INTO clock_anchor (id, wall, boot_id, since_boot) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET wall = excluded.wall, boot_id = excluded.boot_id, since_boot = excluded.since_boot'
		);
		this.#anchor = db.prepare('SELECT wall, boot_id AS bootId, since_boot AS sinceBoot FROM clock_anchor WHERE id = 1');
		// Rows the HMI stamps with its own clock (not a source's): the latest time it is known to have seen.
		this.#newestStamps = db
			.prepare('SELECT MAX(ts) FROM (SELECT MAX(ts) AS ts FROM alarm_journal WHERE ts >= @from AND ts < @to UNION ALL SELECT MAX(ts) FROM audit_log WHERE ts >= @from AND ts < @to)')
			.pluck();
	}

	/** Every remembered jump, oldest first. */
	jumps(): ClockJump[] {
		return this.#jumps.all() as ClockJump[];
	}

	addJump(jump: ClockJump, how: JumpFoundHow): void {
		this.#insertJump.run(jump.before, jump.after, jump.delta, how);
	}

	/** Forgets the `count` oldest jumps. */
	forgetOldest(count: number): void {
		this.#forget.run(count);
	}

	/** The clock as last noted, or null (never noted). */
	anchor(): BootReading | null {
		return (this.#anchor.get() as BootReading | undefined) ?? null;
	}

	saveAnchor(reading: BootReading): void {
		this.#saveAnchor.run(Math.round(reading.wall), reading.bootId, Math.round(reading.sinceBoot));
	}

	/** The newest time stamp in [from, to) the HMI's own clock gave (alarm journal, audit log), or null. */
	newestOwnStamp(from: number, to: number): number | null {
		return this.#newestStamps.get({ from, to }) as number | null;
	}
}
