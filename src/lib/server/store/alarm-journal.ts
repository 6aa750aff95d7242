import type { JournalEntry } from '$lib/shared/alarm-api';
import type { AlarmDisplayState, AlarmPriority } from '$lib/shared/alarms';
import type { LocalText } from '$lib/shared/languages';
import type { Db } from './db';
import type { PresentTime, PruneResult } from '../domain/time/retention';
import { pruneStamped, type StampedTable } from './prune';
import { RowCount } from './row-count';
import type { StorageGuard, WriteOutcome } from './storage-guard';

export type NewJournalEntry = Omit<JournalEntry, 'id'>;

export interface JournalQuery {
	from?: number;
	to?: number;
	/** An alarm id, or a path prefix (`acme/utrecht/packaging/line1/`). */
	alarm?: string;
	user?: string;
	state?: AlarmDisplayState;
	limit: number;
}

interface Row {
	id: number;
	ts: number;
	alarm_id: string;
	line: string;
	machine: string | null;
	priority: number;
	from_state: string;
	to_state: string;
	action: string | null;
	value: string | null;
	user: string | null;
	comment: string | null;
	reason: string | null;
	/** JSON map by language code (migration 8), e.g. `{"en":"Filler: temperature high","nl":"…"}`. */
	message: string;
}

/**
 * The alarm journal: every state change and operator action, append-only, in SQLite. `append` returns once
 * the row is on disk (synchronous=FULL), so an action is journaled before its HTTP response is sent — or,
 * when the database refuses writes, once the row waits in the storage guard's queue (`queued`).
 */
export class AlarmJournal {
	readonly #insert;
	readonly #rows: RowCount;
	readonly #stamped: StampedTable;

	constructor(
		private readonly db: Db,
		private readonly guard: StorageGuard
	) {
		this.#insert = db.prepare(
			`INSERT INTO alarm_journal (ts, alarm_id, line, machine, priority, from_state, to_state, action, value, user, comment, reason, message)
			 VALUES (@ts, @alarmId, @line, @machine, @priority, @from, @to, @action, @value, @user, @comment, @reason, @message)`
		);
		this.#rows = new RowCount(() => db.prepare('SELECT COUNT(*) FROM alarm_journal').pluck().get() as number);
		this.#stamped = {
			newestIn: db.prepare('SELECT MAX(ts) FROM alarm_journal WHERE ts >= ? AND ts < ?').pluck(),
			deleteIn: db.prepare('DELETE FROM alarm_journal WHERE id IN (SELECT id FROM alarm_journal WHERE ts >= ? AND ts < ? ORDER BY ts LIMIT ?)'),
			rows: this.#rows
		};
	}

	/**
	 * Writes one row, never throws.
	 * @param urgent an operator waits for the answer: rows already waiting are tried at once
	 */
	append(entry: NewJournalEntry, urgent = false): WriteOutcome {
		const params = {
			...entry,
			value: entry.value === undefined ? null : JSON.stringify(entry.value),
			message: JSON.stringify(entry.message)
		};
		return this.guard.write(
			'journal',
			entry,
			() => {
				this.#insert.run(params);
				this.#rows.add(1);
			},
			{ urgent }
		);
	}

	/** Newest first. Throws StorageUnavailableError when the database cannot be read. */
	query(q: JournalQuery): JournalEntry[] {
		return this.guard.readOrThrow('the alarm journal', () => this.#query(q));
	}

	#query(q: JournalQuery): JournalEntry[] {
		const where: string[] = [];
		const params: Record<string, unknown> = { limit: q.limit };
		if (q.from !== undefined) { where.push('ts >= @from'); params.from = q.from; }
		if (q.to !== undefined) { where.push('ts <= @to'); params.to = q.to; }
		if (q.alarm) { where.push("(alarm_id = @alarm OR alarm_id LIKE @alarmPrefix ESCAPE '\\')"); params.alarm = q.alarm; params.alarmPrefix = `${escapeLike(q.alarm)}%`; }
		if (q.user) { where.push('user = @user COLLATE NOCASE'); params.user = q.user; }
		if (q.state) { where.push('to_state = @state'); params.state = q.state; }
		const sql = `SELECT * FROM alarm_journal ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ts DESC, id DESC LIMIT @limit`;
		return (this.db.prepare(sql).all(params) as Row[]).map(toEntry);
	}

	/** The oldest row's time stamp, or null when the journal is empty. Throws on a database error. */
	oldestStamp(): number | null {
		return this.db.prepare('SELECT MIN(ts) FROM alarm_journal').pluck().get() as number | null;
	}

	/**
	 * Deletes rows more than `retentionMs` old in corrected time (see `pruneStamped`), oldest first, at most
	 * `PRUNE_MAX_SHARE` of the rows in one go. A prune the database refuses is skipped.
	 */
	prune(time: PresentTime, retentionMs: number): PruneResult | null {
		let result: PruneResult | null = null;
		this.guard.attempt('prune', () => (result = pruneStamped(this.db, this.#stamped, time, retentionMs)));
		return result;
	}
}

function escapeLike(s: string): string {
	return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function toEntry(r: Row): JournalEntry {
	return {
		id: r.id,
		ts: r.ts,
		alarmId: r.alarm_id,
		line: r.line,
		machine: r.machine,
		priority: r.priority as AlarmPriority,
		from: r.from_state as AlarmDisplayState,
		to: r.to_state as AlarmDisplayState,
		action: r.action,
		value: r.value === null ? null : JSON.parse(r.value),
		user: r.user,
		comment: r.comment,
		reason: r.reason,
		message: JSON.parse(r.message) as LocalText
	};
}

/** The last state of each alarm, so acknowledgements, shelves and latches survive a restart. */
export class AlarmStateStore {
	readonly #upsert;

	constructor(
		private readonly db: Db,
		private readonly guard: StorageGuard
	) {
		this.#upsert = db.prepare(
			'INSERT INTO alarm_state (alarm_id, state, updated_at) VALUES (?, ?, ?) ON CONFLICT(alarm_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at'
		);
	}

	/** Saves (or, while the database refuses writes, keeps for later: only the newest state of each alarm). */
	save(alarmId: string, state: unknown, now: number): WriteOutcome {
		const json = JSON.stringify(state);
		return this.guard.write('alarm_state', { alarmId }, () => this.#upsert.run(alarmId, json, now), { key: alarmId });
	}

	/** Every saved state; empty (logged) when the database cannot be read, so the engine starts anyway. */
	loadAll(): Map<string, unknown> {
		return this.guard.read(
			'alarm states',
			() => {
				const rows = this.db.prepare('SELECT alarm_id, state FROM alarm_state').all() as { alarm_id: string; state: string }[];
				return new Map(rows.map((r) => [r.alarm_id, JSON.parse(r.state) as unknown]));
			},
			new Map<string, unknown>()
		);
	}
}
