import type { Db } from './db';
import type { StorageGuard } from './storage-guard';

/** What an audited write did. `action` is a permission-like verb, e.g. `setpoint.write`, `uns.publish`, `user.create`. */
export interface AuditEntry {
	/** null: not written yet — the database refuses writes and the row waits in the storage guard's queue. */
	id: number | null;
	ts: number;
	user: string;
	action: string;
	/** What was acted on: a tag path, a topic, a user name. */
	target: string;
	oldValue?: unknown;
	newValue?: unknown;
	/** Free detail (e.g. QoS/retain of a publish, the reason of a change). */
	detail?: Record<string, unknown>;
}

export type NewAuditEntry = Omit<AuditEntry, 'id'>;

export interface AuditQuery {
	from?: number;
	to?: number;
	/** Exact action, or a prefix ending in '.' (`user.`). */
	action?: string;
	target?: string;
	limit: number;
}

interface Row {
	id: number;
	ts: number;
	user: string;
	action: string;
	target: string;
	old_value: string | null;
	new_value: string | null;
	detail: string | null;
}

/**
 * The audit log: who changed what, from what, to what. `record` returns once the row is on disk
 * (synchronous=FULL), so a write is audited before its HTTP response is sent — or, while the database
 * refuses writes, once it waits in the storage guard's queue. Values are stored as JSON.
 *
 * Append-only, but for one thing: an attempt on the plant is recorded before it is made, with
 * `detail.result = 'pending'` (`recordAttempt`: on disk now or not at all), and `settle` then adds its
 * outcome. A row still pending after a restart is an attempt whose process stopped mid-way (`pending`).
 */
export class AuditLog {
	readonly #insert;
	readonly #detailOf;
	readonly #setDetail;
	readonly #pending;

	constructor(
		private readonly db: Db,
		private readonly guard: StorageGuard
	) {
		this.#insert = db.prepare(
			`INSERT INTO audit_log (ts, user, action, target, old_value, new_value, detail)
			 VALUES (@ts, @user, @action, @target, @oldValue, @newValue, @detail)`
		);
		this.#detailOf = db.prepare('SELECT detail FROM audit_log WHERE id = ?');
		this.#setDetail = db.prepare('UPDATE audit_log SET detail = @detail WHERE id = @id');
		// The same expression as the partial index audit_log_pending (migration 6), so the index serves it.
		this.#pending = db.prepare(`SELECT * FROM audit_log WHERE action = ? AND json_extract(detail, '$.result') = 'pending' ORDER BY id`);
	}

	/**
	 * Writes one row (never throws).
	 * @returns its id, or null when it waits to be written (the database refuses writes) or was refused
	 */
	record(entry: NewAuditEntry): number | null {
		const params = toParams(entry);
		let id: number | null = null;
		this.guard.write('audit', entry, () => (id = Number(this.#insert.run(params).lastInsertRowid)), { urgent: true });
		return id;
	}

	/**
	 * Writes an attempt's row now, or not at all (nothing waits): an attempt on the plant is made only once
	 * it is on record.
	 * @returns its id, or null when the database refused the write
	 */
	recordAttempt(entry: NewAuditEntry): number | null {
		let id: number | null = null;
		const written = this.guard.attempt('audit', () => (id = Number(this.#insert.run(toParams(entry)).lastInsertRowid)));
		return written ? id : null;
	}

	/**
	 * Merges `detail` into the detail of entry `id` (its outcome, a read-back): on disk when it returns, or
	 * waiting in the storage guard's queue while the database refuses writes. Never throws.
	 */
	settle(id: number, detail: Record<string, unknown>): void {
		this.guard.write('audit', { id, detail }, () => {
			const row = this.#detailOf.get(id) as Pick<Row, 'detail'> | undefined;
			if (!row) return;
			const merged = { ...(row.detail === null ? {} : (JSON.parse(row.detail) as Record<string, unknown>)), ...detail };
			this.#setDetail.run({ id, detail: JSON.stringify(merged) });
		});
	}

	/** Entries of `action` whose `detail.result` is still 'pending' (no outcome recorded), oldest first; none when unreadable. */
	pending(action: string): (AuditEntry & { id: number })[] {
		return this.guard.read('pending audit entries', () => (this.#pending.all(action) as Row[]).map((row) => ({ ...toEntry(row), id: row.id })), []);
	}

	/** Newest first. Throws StorageUnavailableError when the database cannot be read. */
	query(q: AuditQuery): AuditEntry[] {
		return this.guard.readOrThrow('the audit log', () => this.#query(q));
	}

	#query(q: AuditQuery): AuditEntry[] {
		const where: string[] = [];
		const params: Record<string, unknown> = { limit: q.limit };
		if (q.from !== undefined) { where.push('ts >= @from'); params.from = q.from; }
		if (q.to !== undefined) { where.push('ts <= @to'); params.to = q.to; }
		if (q.action?.endsWith('.')) { where.push('substr(action, 1, length(@action)) = @action'); params.action = q.action; }
		else if (q.action) { where.push('action = @action'); params.action = q.action; }
		if (q.target) { where.push('target = @target'); params.target = q.target; }
		const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ts DESC, id DESC LIMIT @limit`;
		return (this.db.prepare(sql).all(params) as Row[]).map(toEntry);
	}
}

function toJson(value: unknown): string | null {
	return value === undefined ? null : JSON.stringify(value);
}

function toEntry(row: Row): AuditEntry {
	const entry: AuditEntry = { id: row.id, ts: row.ts, user: row.user, action: row.action, target: row.target };
	if (row.old_value !== null) entry.oldValue = JSON.parse(row.old_value);
	if (row.new_value !== null) entry.newValue = JSON.parse(row.new_value);
	if (row.detail !== null) entry.detail = JSON.parse(row.detail);
	return entry;
}

function toParams(entry: NewAuditEntry) {
	return {
		ts: entry.ts,
		user: entry.user,
		action: entry.action,
		target: entry.target,
		oldValue: toJson(entry.oldValue),
		newValue: toJson(entry.newValue),
		detail: toJson(entry.detail)
	};
}
