/**
 * The alarm HTTP API, shared by the server routes and the browser.
 *
 * Writes: `POST /api/alarms/<action>` with a JSON body (content-type application/json), answered
 * 200 `AlarmActionResponse`; 400 bad body; 403 role may not (`code: HMI_ERR_FORBIDDEN`); 404 unknown action.
 * A refused transition (e.g. nothing to acknowledge) is not an HTTP error: it is in `results[].code`.
 * Each accepted action is in the journal before the response is sent — unless the database refuses writes:
 * the action still takes effect and its result says `journal: 'queued'` (written once the database works).
 * Reads answer 503 `HMI_ERR_STORAGE` when the database cannot be read.
 *
 * Reads: `GET /api/alarms` → `AlarmRecord & { id }`[]; `GET /api/alarms/journal?…` → `JournalEntry[]`,
 * or CSV with `format=csv`.
 */
import type { AlarmDisplayState, AlarmPriority } from './alarms';
import type { LocalText } from './languages';

export type AlarmActionRequest =
	| { action: 'ack'; ids: string[]; comment?: string }
	| { action: 'shelve'; id: string; reason: string; minutes: number }
	| { action: 'shelve'; id: string; reason: string; oneShot: true }
	| { action: 'unshelve'; id: string }
	| { action: 'out-of-service'; id: string; reason: string }
	| { action: 'return-to-service'; id: string }
	| { action: 'reset'; id: string };

export const ALARM_ACTIONS = ['ack', 'shelve', 'unshelve', 'out-of-service', 'return-to-service', 'reset'] as const;
export type AlarmActionName = (typeof ALARM_ACTIONS)[number];

/**
 * What became of an accepted action's record (journal row and saved alarm state): `written` is on disk;
 * `queued` waits in memory while the database refuses writes and is written when it works again; `lost` was
 * refused by the database for a reason a retry cannot fix (logged in full on the server).
 */
export type JournalOutcome = 'written' | 'queued' | 'lost';

/**
 * One result per alarm named; `code` (an i18n key like `alarm.nothing_to_ack`) when it was refused,
 * `journal` when it was done.
 */
export interface AlarmActionResponse {
	results: { id: string; ok: boolean; code?: string; journal?: JournalOutcome }[];
}

/** Longest comment or reason accepted, in characters. */
export const MAX_ALARM_TEXT = 500;

/** A journal row. Times are epoch ms. */
export interface JournalEntry {
	id: number;
	ts: number;
	alarmId: string;
	line: string;
	machine: string | null;
	priority: AlarmPriority;
	from: AlarmDisplayState;
	to: AlarmDisplayState;
	/** The operator action, when the row records one (ack, shelve, …; `expire` when a shelve ran out). */
	action: string | null;
	value: unknown;
	user: string | null;
	comment: string | null;
	reason: string | null;
	message: LocalText;
}

/**
 * Journal query (`GET /api/alarms/journal`): `from`, `to` (epoch ms or ISO), `alarm` (id or prefix),
 * `user`, `state` (a to-state), `limit` (≤ 5000, default 500), `format=csv`. Newest first.
 */
export const MAX_JOURNAL_ROWS = 5000;
