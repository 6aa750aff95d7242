/**
 * How the KPI screen writes its numbers and times, through `Intl` in the user's language:
 * percentages (`74,8 %`, `74.8%`), losses in minutes (`4,5 min`, `12 mins`) and clock times in the plant's
 * time zone (shift times are plant times, and a tablet or the server may run in another zone).
 * Formatters are cached: a dashboard formats a few hundred values every two seconds.
 */
import { LANGUAGES, type Lang } from '$lib/shared/languages';
import { INTL_LOCALE, NO_VALUE, UNIT_SPACE } from '$lib/format';

/**
 * Between a number and its percent sign, per language. Intl's Dutch pattern has gone back and forth
 * between `74,8 %` and `74,8%` across CLDR versions, so the server (Node's ICU) and the browser could write
 * it differently; fixing it here keeps them equal. Dutch follows the Taalunie advice (a space), English none.
 */
export const PERCENT_SPACE = Object.fromEntries(LANGUAGES.map((l) => [l.code, l.percentSpace ? UNIT_SPACE : ''])) as Record<Lang, string>;

/** Losses shorter than this show one decimal (`4,5 min`); longer ones whole minutes. */
export const MINUTE_DECIMALS_BELOW_MS = 10 * 60_000;

const percentFormats = new Map<string, Intl.NumberFormat>();
const minuteFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function cached<T>(map: Map<string, T>, key: string, make: () => T): T {
	let f = map.get(key);
	if (!f) {
		f = make();
		map.set(key, f);
	}
	return f;
}

/**
 * A ratio as a percentage with fixed decimals: `0.748` → `74,8 %` (nl) / `74.8%` (en).
 * @param ratio 0..1 (values outside are shown as they are); null or not finite gives a dash
 */
export function formatPercent(ratio: number | null | undefined, lang: Lang, decimals = 1): string {
	if (typeof ratio !== 'number' || !Number.isFinite(ratio)) return NO_VALUE;
	// No "-0,0 %" for rounding noise just below zero.
	const shown = Math.abs(ratio) < 0.5 * 10 ** -(decimals + 2) ? 0 : ratio;
	const f = cached(percentFormats, `${lang}|${decimals}`, () =>
		new Intl.NumberFormat(INTL_LOCALE[lang], { style: 'percent', minimumFractionDigits: decimals, maximumFractionDigits: decimals })
	);
	return f
		.formatToParts(shown)
		.filter((p) => !(p.type === 'literal' && /^\s+$/u.test(p.value)))
		.map((p) => (p.type === 'percentSign' ? `${PERCENT_SPACE[lang]}${p.value}` : p.value))
		.join('');
}

/**
 * A duration in minutes, the unit losses are compared in: `4,5 min` / `4.5 mins` below ten minutes,
 * whole minutes above (`37 min`), and nothing lost as `0 min`.
 * @param ms duration in milliseconds; negative counts as 0
 */
export function formatMinutes(ms: number | null | undefined, lang: Lang): string {
	if (typeof ms !== 'number' || !Number.isFinite(ms)) return NO_VALUE;
	const t = Math.max(0, ms);
	const decimals = t > 0 && t < MINUTE_DECIMALS_BELOW_MS ? 1 : 0;
	const f = cached(minuteFormats, `${lang}|${decimals}`, () =>
		new Intl.NumberFormat(INTL_LOCALE[lang], {
			style: 'unit',
			unit: 'minute',
			unitDisplay: 'short',
			minimumFractionDigits: decimals,
			maximumFractionDigits: decimals
		})
	);
	return f.format(t / 60_000);
}

type ClockStyle = 'time' | 'weekday' | 'weekdayTime';

function clockFormat(lang: Lang, timeZone: string, style: ClockStyle): Intl.DateTimeFormat {
	return cached(dateFormats, `${lang}|${timeZone}|${style}`, () => {
		const time: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
		const opts: Intl.DateTimeFormatOptions =
			style === 'time' ? time : style === 'weekday' ? { weekday: 'short' } : { weekday: 'short', ...time };
		try {
			return new Intl.DateTimeFormat(INTL_LOCALE[lang], { ...opts, timeZone });
		} catch {
			// An unknown zone in the plant model must not take the screen down: fall back to the device's.
			return new Intl.DateTimeFormat(INTL_LOCALE[lang], opts);
		}
	});
}

/**
 * A time of day as the plant's clock shows it: `06:00`.
 * @param epochMs milliseconds since 1970-01-01 UTC
 * @param timeZone IANA zone of the plant (`PlantView.timezone`)
 */
export function formatClock(epochMs: number | null | undefined, lang: Lang, timeZone: string): string {
	if (typeof epochMs !== 'number' || !Number.isFinite(epochMs)) return NO_VALUE;
	return clockFormat(lang, timeZone, 'time').format(epochMs);
}

/** The short weekday in the plant's time zone: `Tue` / `di`. */
export function formatWeekday(epochMs: number | null | undefined, lang: Lang, timeZone: string): string {
	if (typeof epochMs !== 'number' || !Number.isFinite(epochMs)) return NO_VALUE;
	return clockFormat(lang, timeZone, 'weekday').format(epochMs);
}

/** The plant-local calendar date of a moment, as `YYYY-MM-DD`. */
function plantDay(epochMs: number, timeZone: string): string {
	return cached(dateFormats, `day|${timeZone}`, () => {
		try {
			return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone });
		} catch {
			return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' });
		}
	}).format(epochMs);
}

/**
 * A coming (or past) moment relative to today: the time alone when it is on the same plant-local day as
 * `nowMs` (`17:42`), with the weekday otherwise (`Wed 03:15`). For an estimated finish.
 */
export function formatDayTime(epochMs: number | null | undefined, lang: Lang, timeZone: string, nowMs: number): string {
	if (typeof epochMs !== 'number' || !Number.isFinite(epochMs)) return NO_VALUE;
	const sameDay = plantDay(epochMs, timeZone) === plantDay(nowMs, timeZone);
	return clockFormat(lang, timeZone, sameDay ? 'time' : 'weekdayTime').format(epochMs);
}
