/**
 * Schema migrations, applied in order; the database's `user_version` is how many have run.
 * Never edit a migration that has shipped: add a new one.
 */
export const migrations: string[] = [
	// 1: users and sessions
	`CREATE TABLE users (
		id INTEGER PRIMARY KEY,
		username TEXT NOT NULL UNIQUE COLLATE NOCASE,
		password_hash TEXT NOT NULL,
		role TEXT NOT NULL CHECK (role IN ('operator', 'maintenance', 'manager', 'admin')),
		lang TEXT NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'nl')),
		disabled INTEGER NOT NULL DEFAULT 0,
		created_at INTEGER NOT NULL
	);
	CREATE TABLE sessions (
		id TEXT PRIMARY KEY,
		user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		created_at INTEGER NOT NULL,
		expires_at INTEGER NOT NULL,
		revoked_at INTEGER
	);
	CREATE INDEX sessions_user ON sessions(user_id);`,
	// 2: alarm journal (append-only) and the last state of every alarm (survives a restart)
	`CREATE TABLE alarm_journal (
		id INTEGER PRIMARY KEY,
		ts INTEGER NOT NULL,
		alarm_id TEXT NOT NULL,
		line TEXT NOT NULL,
		machine TEXT,
		priority INTEGER NOT NULL,
		from_state TEXT NOT NULL,
		to_state TEXT NOT NULL,
		action TEXT,
		value TEXT,
		user TEXT,
		comment TEXT,
		reason TEXT,
		message_en TEXT NOT NULL,
		message_nl TEXT NOT NULL
	);
	CREATE INDEX alarm_journal_ts ON alarm_journal(ts);
	CREATE INDEX alarm_journal_alarm ON alarm_journal(alarm_id, ts);
	CREATE TABLE alarm_state (
		alarm_id TEXT PRIMARY KEY,
		state TEXT NOT NULL,
		updated_at INTEGER NOT NULL
	);`,
	// 3: OEE totals per machine per shift (the current shift is saved as it goes, so a restart continues it)
	`CREATE TABLE oee_shift (
		machine_path TEXT NOT NULL,
		shift_key TEXT NOT NULL,
		start INTEGER NOT NULL,
		totals TEXT NOT NULL,
		updated_at INTEGER NOT NULL,
		PRIMARY KEY (machine_path, shift_key)
	);
	CREATE INDEX oee_shift_start ON oee_shift(machine_path, start);`,
	// 4: historian. Closed chunks hold up to a few hundred samples packed as Float64 [ts…, value…] (fast to
	// read in bulk); samples of the still-open chunk are plain rows until it closes.
	`CREATE TABLE history_tags (
		id INTEGER PRIMARY KEY,
		path TEXT NOT NULL UNIQUE
	);
	CREATE TABLE history_chunks (
		tag_id INTEGER NOT NULL,
		start INTEGER NOT NULL,
		end INTEGER NOT NULL,
		n INTEGER NOT NULL,
		data BLOB NOT NULL,
		PRIMARY KEY (tag_id, start)
	) WITHOUT ROWID;
	CREATE INDEX history_chunks_end ON history_chunks(end);
	CREATE TABLE history_open (
		tag_id INTEGER NOT NULL,
		ts INTEGER NOT NULL,
		value REAL
	);
	CREATE INDEX history_open_tag ON history_open(tag_id, ts);`,
	// 5: audit log of every write that is not an alarm action (alarm actions are in the alarm journal):
	// setpoints, commands, UNS publishes, user administration. Append-only.
	`CREATE TABLE audit_log (
		id INTEGER PRIMARY KEY,
		ts INTEGER NOT NULL,
		user TEXT NOT NULL,
		action TEXT NOT NULL,
		target TEXT NOT NULL,
		old_value TEXT,
		new_value TEXT,
		detail TEXT
	);
	CREATE INDEX audit_log_ts ON audit_log(ts);
	CREATE INDEX audit_log_target ON audit_log(target, ts);`,
	// 6: attempts on the plant are audited before they are made (detail.result 'pending') and settled after;
	// the start-up sweep for attempts a stopped process left pending reads this small index, not the whole log.
	`CREATE INDEX audit_log_pending ON audit_log(action) WHERE json_extract(detail, '$.result') = 'pending';`,
	// 7: the wall clock's jumps, so retention counts ages in corrected time after a restart too; and the
	// clock as last seen (against the time since boot), so a jump while the server was down is found at start.
	`CREATE TABLE clock_jumps (
		id INTEGER PRIMARY KEY,
		before_wall INTEGER NOT NULL,
		after_wall INTEGER NOT NULL,
		delta INTEGER NOT NULL,
		how TEXT NOT NULL CHECK (how IN ('running', 'same-boot', 'last-seen'))
	);
	CREATE TABLE clock_anchor (
		id INTEGER PRIMARY KEY CHECK (id = 1),
		wall INTEGER NOT NULL,
		boot_id TEXT,
		since_boot INTEGER NOT NULL
	);`,
	// 8: languages are data, not schema. A user's language loses its CHECK (lang IN ('en', 'nl')) — the
	// application checks it against $lib/shared/languages — and an alarm's message becomes one JSON map by
	// language code instead of a column per language, so adding a language needs no migration. SQLite cannot
	// drop a CHECK in place: the column is copied, dropped (its CHECK goes with it) and renamed back.
	`ALTER TABLE users ADD COLUMN lang_code TEXT NOT NULL DEFAULT 'en';
	UPDATE users SET lang_code = lang;
	ALTER TABLE users DROP COLUMN lang;
	ALTER TABLE users RENAME COLUMN lang_code TO lang;
	ALTER TABLE alarm_journal ADD COLUMN message TEXT NOT NULL DEFAULT '{}';
	UPDATE alarm_journal SET message = json_object('en', message_en, 'nl', message_nl);
	ALTER TABLE alarm_journal DROP COLUMN message_en;
	ALTER TABLE alarm_journal DROP COLUMN message_nl;`
];
