import type { JournalEntry } from '$lib/shared/alarm-api';
import type { AlarmDisplayState, AlarmPriority } from '$lib/shared/alarms';
import type { Db } from './db';

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
	message_en: string;
	message_nl: string;
}

/**
 * The alarm journal: every state change and operator action, append-only, in SQLite. `append` returns once
 * the row is on disk (synchronous=FULL), so an action is journaled before its HTTP response is sent.
 */
export class AlarmJournal {
	readonly #insert;

	constructor(private readonly db: Db) {
		this.#insert = db.prepare(
			`INSERT INTO alarm_journal (ts, alarm_id, line, machine, priority, from_state, to_state, action, value, user, comment, reason, message_en, message_nl)
			 VALUES (@ts, @alarmId, @line, @machine, @priority, @from, @to, @action, @value, @user, @comment, @reason, @messageEn, @messageNl)`
		);
	}

	append(entry: NewJournalEntry): number {
		const result = this.#insert.run({
			...entry,
			value: entry.value === undefined ? null : JSON.stringify(entry.value),
			messageEn: entry.message.en,
			messageNl: entry.message.nl
		});
		return Number(result.lastInsertRowid);
	}

	/** Newest first. */
	query(q: JournalQuery): JournalEntry[] {
		const where: string[] = [];
		const params: Record<string, unknown> = { limit: q.limit };
		if (q.from !== undefined) (where.push('ts >= @from'), (params.from = q.from));
		if (q.to !== undefined) (where.push('ts <= @to'), (params.to = q.to));
		if (q.alarm) (where.push("(alarm_id = @alarm OR alarm_id LIKE @alarmPrefix ESCAPE '\\')"), (params.alarm = q.alarm), (params.alarmPrefix = `${escapeLike(q.alarm)}%`));
		if (q.user) (where.push('user = @user COLLATE NOCASE'), (params.user = q.user));
		if (q.state) (where.push('to_state = @state'), (params.state = q.state));
		const sql = `SELECT * FROM alarm_journal ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ts DESC, id DESC LIMIT @limit`;
		return (this.db.prepare(sql).all(params) as Row[]).map(toEntry);
	}

	/** Deletes entries older than `before` (retention). */
	prune(before: number): number {
		return this.db.prepare('DELETE FROM alarm_journal WHERE ts < ?').run(before).changes;
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
		message: { en: r.message_en, nl: r.message_nl }
	};
}

/** The last state of each alarm, so acknowledgements, shelves and latches survive a restart. */
export class AlarmStateStore {
	constructor(private readonly db: Db) {}

	save(alarmId: string, state: unknown, now: number): void {
		this.db
			.prepare('INSERT INTO alarm_state (alarm_id, state, updated_at) VALUES (?, ?, ?) ON CONFLICT(alarm_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at')
			.run(alarmId, JSON.stringify(state), now);
	}

	loadAll(): Map<string, unknown> {
		const rows = this.db.prepare('SELECT alarm_id, state FROM alarm_state').all() as { alarm_id: string; state: string }[];
		return new Map(rows.map((r) => [r.alarm_id, JSON.parse(r.state)]));
	}
}
