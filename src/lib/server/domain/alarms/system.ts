import { localized } from '$lib/locales';
import type { LocalText } from '$lib/shared/languages';
import { SYSTEM_LINE, SYSTEM_NODE, type SystemAlarmName } from '$lib/shared/alarms';
import { ALARM_SEGMENT } from '$lib/shared/uns-path';
import type { AlarmDefinition } from './model';

/**
 * The HMI's own conditions, as tags under `_sys/hmi/…` (published by the server's monitors, never by a
 * connector). Each drives a system alarm through the same state machine as every plant alarm.
 */
export const SYSTEM_TAGS = {
	/** `ok` | `failing`: the database refuses writes (rows wait in memory). */
	storageWrites: `${SYSTEM_NODE}/storage/writes`,
	/** The SQLite code of the last refused write (`SQLITE_FULL`, `SQLITE_IOERR`, …), or null. */
	storageError: `${SYSTEM_NODE}/storage/error`,
	/** `ok` | `missing` | `replaced`: the database file on disk is no longer the one the server has open. */
	storageFile: `${SYSTEM_NODE}/storage/file`,
	/** `ok` | `damaged` (integrity check failed, or a damaged page was met) | `unusable` (could not be opened). */
	storageIntegrity: `${SYSTEM_NODE}/storage/integrity`,
	/** `ok` | `forward` | `backward`: the wall clock jumped (held for a while after the jump). */
	clockJump: `${SYSTEM_NODE}/clock/jump`
} as const;

export type StorageWritesValue = 'ok' | 'failing';
export type StorageFileValue = 'ok' | 'missing' | 'replaced';
export type StorageIntegrityValue = 'ok' | 'damaged' | 'unusable';
export type ClockJumpValue = 'ok' | 'forward' | 'backward';

export const systemAlarmId = (name: SystemAlarmName): string => `${SYSTEM_NODE}/${ALARM_SEGMENT}/${name}`;

/**
 * Off-delay of the storage alarm, ms: a disk that is nearly full takes some writes and refuses others; the
 * alarm clears only once writes have succeeded this long, rather than chatter.
 */
export const STORAGE_ALARM_OFF_DELAY_MS = 5000;

/** The message of a system alarm in every language, from the product's locales. */
function message(name: SystemAlarmName): LocalText {
	return localized((texts) => texts.alarms.system[name]);
}

function discrete(name: SystemAlarmName, tagPath: string, equals: string[], priority: AlarmDefinition['priority'], extra: Partial<AlarmDefinition> = {}): AlarmDefinition {
	return {
		id: systemAlarmId(name),
		lineId: SYSTEM_LINE,
		trigger: { kind: 'discrete', tagPath, equals },
		priority,
		latching: false,
		onDelayMs: 0,
		offDelayMs: 0,
		message: message(name),
		...extra
	};
}

/**
 * The HMI's own alarms. Priorities: nothing kept at all is critical; a journal that cannot be written, a
 * database file gone or damaged is high (records are at stake, not the process); a clock jump is medium.
 */
export function systemAlarmDefinitions(): AlarmDefinition[] {
	return [
		discrete('journal_not_writable', SYSTEM_TAGS.storageWrites, ['failing'], 2, { offDelayMs: STORAGE_ALARM_OFF_DELAY_MS, detailTagPath: SYSTEM_TAGS.storageError }),
		discrete('database_file', SYSTEM_TAGS.storageFile, ['missing', 'replaced'], 2, { detailTagPath: SYSTEM_TAGS.storageFile }),
		discrete('database_damaged', SYSTEM_TAGS.storageIntegrity, ['damaged'], 2),
		discrete('database_unusable', SYSTEM_TAGS.storageIntegrity, ['unusable'], 1),
		discrete('clock_jump', SYSTEM_TAGS.clockJump, ['forward', 'backward'], 3, { detailTagPath: SYSTEM_TAGS.clockJump })
	];
}
