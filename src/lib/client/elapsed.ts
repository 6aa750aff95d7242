/**
 * How long something has been going on, as the two largest units in the language's own words through
 * `Intl` (`3 hrs 12 mins`, `3 uur 12 min`). Seconds show only under a minute: an alarm's age needs no more.
 */
import type { Lang } from '$lib/shared/languages';
import { INTL_LOCALE, NO_VALUE } from '$lib/format';

type Unit = 'second' | 'minute' | 'hour' | 'day';

const formats = new Map<string, Intl.NumberFormat>();

function unit(lang: Lang, u: Unit, n: number): string {
	const key = `${lang}|${u}`;
	let f = formats.get(key);
	if (!f) {
		f = new Intl.NumberFormat(INTL_LOCALE[lang], { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: 0 });
		formats.set(key, f);
	}
	return f.format(n);
}

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

/**
 * @param ms elapsed milliseconds; negative (clock skew between server and tablet) counts as 0
 */
export function formatElapsed(ms: number | null | undefined, lang: Lang): string {
	if (typeof ms !== 'number' || !Number.isFinite(ms)) return NO_VALUE;
	const t = Math.max(0, ms);
	if (t < M) return unit(lang, 'second', Math.floor(t / S));
	if (t < H) return unit(lang, 'minute', Math.floor(t / M));
	const [big, small, bigMs, smallMs] = t < D ? (['hour', 'minute', H, M] as const) : (['day', 'hour', D, H] as const);
	const a = Math.floor(t / bigMs);
	const b = Math.floor((t - a * bigMs) / smallMs);
	return b === 0 ? unit(lang, big, a) : `${unit(lang, big, a)} ${unit(lang, small, b)}`;
}
