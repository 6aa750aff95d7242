/**
 * The journal screen's time range and filters, kept in the page URL so a view can be reloaded, bookmarked
 * and shared: `?range=shift&user=maintenance`, or `?range=custom&from=2026-05-04T06:00&to=…`.
 * Preset ranges are relative to now and worked out afresh on every load. The filter form is a plain GET
 * form, so custom times arrive as `<input type="datetime-local">` values (local time); epoch ms work too.
 */
import { ALARM_STATES, type AlarmDisplayState } from '$lib/shared/alarms';

export const JOURNAL_RANGES = ['1h', 'shift', '24h', '7d', 'custom'] as const;
export type JournalRange = (typeof JOURNAL_RANGES)[number];
export const DEFAULT_RANGE: JournalRange = '24h';

/** Shift starts (local `HH:MM`) used when the plant gives no shift plan: three 8-hour shifts. */
export const DEFAULT_SHIFT_STARTS: readonly string[] = ['06:00', '14:00', '22:00'];

/** Rows the screen asks for; the CSV export asks for the API's maximum. */
export const JOURNAL_PAGE_LIMIT = 500;

const HOUR_MS = 3_600_000;
const PRESET_MS: Record<Exclude<JournalRange, 'shift' | 'custom'>, number> = {
	'1h': HOUR_MS,
	'24h': 24 * HOUR_MS,
	'7d': 7 * 24 * HOUR_MS
};

/**
 * When the shift running at `now` began, in the local time of this machine (the plant's time zone on the
 * shop floor). Built from calendar dates, so a daylight-saving switch does not shift it by an hour.
 * @param now epoch ms
 * @param starts shift start times as local `HH:MM` (the plant's shift plan); malformed ones are skipped
 */
export function shiftStart(now: number, starts: readonly string[] = DEFAULT_SHIFT_STARTS): number {
	const d = new Date(now);
	let best = -Infinity;
	for (const start of starts) {
		const m = /^(\d{1,2}):(\d{2})$/.exec(start);
		if (!m) continue;
		for (const dayOffset of [0, -1]) {
			const t = new Date(d.getFullYear(), d.getMonth(), d.getDate() + dayOffset, Number(m[1]), Number(m[2])).getTime();
			if (t <= now && t > best) best = t;
		}
	}
	return Number.isFinite(best) ? best : now - 8 * HOUR_MS;
}

export interface JournalView {
	range: JournalRange;
	/** Epoch ms. */
	from: number;
	to: number;
	alarm: string;
	user: string;
	state: AlarmDisplayState | '';
}

const isRange = (v: string | null): v is JournalRange => v !== null && (JOURNAL_RANGES as readonly string[]).includes(v);
const isState = (v: string | null): v is AlarmDisplayState => v !== null && (ALARM_STATES as readonly string[]).includes(v);

/** A time from the URL: epoch ms, or a local date-time as a datetime-local input gives it. */
function time(v: string | null): number | null {
	if (v === null || v === '') return null;
	if (/^\d{1,15}$/.test(v)) return Number(v);
	return fromLocalInput(v);
}

/**
 * The view a page URL asks for; anything unreadable falls back to the default.
 * @param now epoch ms
 * @param shiftStarts the plant's shift start times (local `HH:MM`), for "this shift"
 */
export function parseJournalSearch(params: URLSearchParams, now: number, shiftStarts?: readonly string[]): JournalView {
	const rangeParam = params.get('range');
	const range: JournalRange = isRange(rangeParam) ? rangeParam : DEFAULT_RANGE;
	let from: number;
	let to = now;
	if (range === 'custom') {
		// Without times (just switched to custom) it starts as the last 24 hours, ready to be adjusted.
		const t = time(params.get('to'));
		const f = time(params.get('from'));
		to = t ?? now;
		from = f ?? to - PRESET_MS['24h'];
		if (from > to) [from, to] = [to, from];
	} else if (range === 'shift') {
		from = shiftStart(now, shiftStarts?.length ? shiftStarts : DEFAULT_SHIFT_STARTS);
	} else {
		from = now - PRESET_MS[range];
	}
	const state = params.get('state');
	return {
		range,
		from,
		to,
		alarm: (params.get('alarm') ?? '').trim(),
		user: (params.get('user') ?? '').trim(),
		state: isState(state) ? state : ''
	};
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Epoch ms as the value of an `<input type="datetime-local">` (local time, minutes). */
export function toLocalInput(ms: number): string {
	const d = new Date(ms);
	return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The value of an `<input type="datetime-local">` as epoch ms, or null when empty or invalid. */
export function fromLocalInput(value: string): number | null {
	const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
	if (!m) return null;
	const [, y, mo, d, h, mi, s] = m.map(Number);
	const t = new Date(y, mo - 1, d, h, mi, Number.isNaN(s) ? 0 : s).getTime();
	return Number.isFinite(t) ? t : null;
}
