/**
 * What a failed SQLite call means for the data it carried. better-sqlite3 throws `SqliteError` with the
 * extended result code in `code` (`SQLITE_FULL`, `SQLITE_IOERR_WRITE`, `SQLITE_CORRUPT`, …).
 */

/**
 * Primary result codes that say "the storage is not usable right now" rather than "this row is wrong":
 * full disk, I/O error, damaged file, locked, read-only, no permission. A write refused with one of these is
 * worth trying again later; any other error (a constraint, a type mismatch, a bug) would fail again.
 */
const STORAGE_FAULTS = new Set([
	'SQLITE_FULL',
	'SQLITE_IOERR',
	'SQLITE_CORRUPT',
	'SQLITE_NOTADB',
	'SQLITE_CANTOPEN',
	'SQLITE_READONLY',
	'SQLITE_BUSY',
	'SQLITE_LOCKED',
	'SQLITE_PERM',
	'SQLITE_PROTOCOL',
	'SQLITE_NOMEM',
	'SQLITE_NOLFS'
]);

/** Codes that mean the file itself is damaged (not merely full or locked). */
const DAMAGE = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);

/** The SQLite code of an error (`SQLITE_FULL`, `SQLITE_IOERR_WRITE`), or undefined for other errors. */
export function sqliteCode(err: unknown): string | undefined {
	const code = (err as { code?: unknown } | null)?.code;
	return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/** The primary code: `SQLITE_IOERR_WRITE` → `SQLITE_IOERR`. */
export function primary(code: string): string {
	const second = code.indexOf('_', 'SQLITE_'.length);
	return second === -1 ? code : code.slice(0, second);
}

/** True when the error says the storage cannot take writes now (a retry later may succeed). */
export function isStorageFault(err: unknown): boolean {
	const code = sqliteCode(err);
	return code !== undefined && STORAGE_FAULTS.has(primary(code));
}

/** True when the error says the database file is damaged. */
export function isDamage(err: unknown): boolean {
	const code = sqliteCode(err);
	return code !== undefined && DAMAGE.has(primary(code));
}

/** The error as a short, loggable description: code and message, no stack. */
export function describeError(err: unknown): { code: string; message: string } {
	return { code: sqliteCode(err) ?? (err as Error)?.name ?? 'Error', message: (err as Error)?.message ?? String(err) };
}

/**
 * Thrown to a request handler when the database cannot answer a read: routes turn it into 503 with code
 * `HMI_ERR_STORAGE` (the server itself keeps running).
 */
export class StorageUnavailableError extends Error {
	override name = 'StorageUnavailableError';
	readonly code = 'HMI_ERR_STORAGE';

	constructor(
		readonly what: string,
		cause: unknown
	) {
		super(`${what}: the database cannot be read (${describeError(cause).code})`, { cause });
	}
}
