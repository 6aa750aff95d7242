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
 */
export class AuditLog {
	readonly #insert;

	constructor(
		private readonly db: Db,
		private readonly guard: StorageGuard
	) {
		this.#insert = db.prepare(
			`INSERT INTO audit_log (ts, user, action, target, old_value, new_value, detail)
			 VALUES (@ts, @user, @action, @target, @oldValue, @newValue, @detail)`
		);
	}

	/**
	 * Writes one row (never throws).
	 * @returns its id, or null when it waits to be written (the database refuses writes) or was refused
	 */
	record(entry: NewAuditEntry): number | null {
		const params = {
			ts: entry.ts,
			user: entry.user,
			action: entry.action,
			target: entry.target,
			oldValue: toJson(entry.oldValue),
			newValue: toJson(entry.newValue),
			detail: toJson(entry.detail)
		};
		let id: number | null = null;
		this.guard.write('audit', entry, () => (id = Number(this.#insert.run(params).lastInsertRowid)), { urgent: true });
		return id;
	}

	/** Newest first. Throws StorageUnavailableError when the database cannot be read. */
	query(q: AuditQuery): AuditEntry[] {
		return this.guard.readOrThrow('the audit log', () => this.#query(q));
	}

	#query(q: AuditQuery): AuditEntry[] {
		const where: string[] = [];
		const params: Record<string, unknown> = { limit: q.limit };
		if (q.from !== undefined) (where.push('ts >= @from'), (params.from = q.from));
		if (q.to !== undefined) (where.push('ts <= @to'), (params.to = q.to));
		if (q.action?.endsWith('.')) (where.push('substr(action, 1, length(@action)) = @action'), (params.action = q.action));
		else if (q.action) (where.push('action = @action'), (params.action = q.action));
		if (q.target) (where.push('target = @target'), (params.target = q.target));
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
