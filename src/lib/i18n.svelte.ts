/**
 * Translations for the screens.
 *
 * Design:
 * - Each render (one SSR request, or the browser tab) gets its own `Locale`, which owns its own i18next
 *   instance. The language is never changed on an instance shared between requests: `t()` goes through
 *   `getFixedT(lang)` for the language the `Locale` currently holds.
 * - `Locale.lang` is `$state`, and `t()` reads it (and a version counter bumped when resources change), so
 *   markup that calls `t()` re-renders when the language is switched or the plant texts arrive.
 * - Two namespaces: `app` (locales/<lang>.json: the product's own texts, keys by domain) and
 *   `plant` (built from the PlantView's `LocalText`s: line, machine and tag labels, reason codes), so every
 *   user-visible string — fixed or configured — goes through i18next.
 * - The root layout creates the `Locale` and puts it in Svelte context; components call `getLocale()`.
 */
import i18next, { type i18n as I18n, type TFunction, type TOptions } from 'i18next';
import { createContext } from 'svelte';
import { APP_TEXTS } from '$lib/locales';
import { DEFAULT_LANG, LANGS, localText, type Lang, type LocalText } from '$lib/shared/languages';
import type { PlantView } from '$lib/shared/plant-view';
import {
	formatCount,
	formatDate,
	formatNumber,
	formatQuantity,
	INTL_LOCALE,
	type DateStyle
} from '$lib/format';

/** The product's own texts, per language. */
export const appResources = APP_TEXTS;

/** Keys of the `plant` namespace, in one place so screens and the builder agree. */
export const plantKey = {
	title: () => 'plant:title',
	line: (lineId: string) => `plant:line.${lineId}`,
	machine: (lineId: string, machineId: string) => `plant:machine.${lineId}.${machineId}`,
	/** Tag labels belong to the machine type: every filler's `product_temperature` has the same label. */
	tag: (machineType: string, tagId: string) => `plant:tag.${machineType}.${tagId}`,
	reason: (code: number) => `plant:reason.${code}`
};

type Tree = { [key: string]: string | Tree };

/**
 * The `plant` namespace for one language, from the PlantView's texts.
 * Keys: `title`, `line.<line>`, `machine.<line>.<machine>`, `tag.<machineType>.<tag>`, `reason.<code>`.
 */
export function plantResources(plant: PlantView, lang: Lang): Tree {
	const pick = (text: LocalText) => localText(text, lang);
	const line: Tree = {};
	const machine: Tree = {};
	const tag: Record<string, Tree> = {};
	const reason: Tree = {};
	for (const l of plant.lines) {
		line[l.id] = pick(l.label);
		const machines: Tree = {};
		for (const m of l.machines) {
			machines[m.id] = pick(m.label);
			const tags = (tag[m.type] ??= {});
			for (const t of m.tags) tags[t.id] ??= pick(t.label);
		}
		machine[l.id] = machines;
	}
	for (const r of plant.reasons) reason[String(r.code)] = pick(r.label);
	const shift: Tree = {};
	for (const s of plant.shifts ?? []) shift[s.id] = pick(s.label);
	return { title: pick(plant.label), line, machine, tag, reason, shift };
}

/**
 * A translator bound to a reactive language. Create one per render (SSR request or browser tab).
 */
export class Locale {
	/** The UI language; assigning it re-renders every `t()` call site. */
	lang = $state<Lang>(DEFAULT_LANG);
	/** Bumped when resources change (plant texts added), so `t()` call sites re-run. */
	#version = $state(0);
	readonly #i18n: I18n;
	readonly #fixed = new Map<Lang, TFunction>();
	#plant: PlantView | undefined;

	constructor(lang: Lang = DEFAULT_LANG) {
		this.lang = lang;
		this.#i18n = i18next.createInstance();
		void this.#i18n.init({
			initAsync: false,
			resources: Object.fromEntries(LANGS.map((l) => [l, { app: appResources[l] }])),
			lng: lang,
			supportedLngs: [...LANGS],
			fallbackLng: DEFAULT_LANG,
			ns: ['app', 'plant'],
			defaultNS: 'app',
			// Svelte escapes text itself; escaping here would show `&amp;` on screen.
			interpolation: { escapeValue: false },
			returnNull: false
		});
	}

	/** Adds (or replaces) the `plant` namespace built from the PlantView. Cheap when the plant is unchanged. */
	setPlant(plant: PlantView): void {
		if (plant === this.#plant) return;
		this.#plant = plant;
		for (const l of LANGS) this.#i18n.addResourceBundle(l, 'plant', plantResources(plant, l), false, true);
		this.#version++;
	}

	/**
	 * Translates `key` (`nav.operator`, or `plant:line.line1` for plant texts) in the current language.
	 * A missing key comes back as the key itself, which is visible and easy to spot.
	 */
	t = (key: string, options?: TOptions): string => {
		const lang = this.lang;
		void this.#version;
		let fixed = this.#fixed.get(lang);
		if (!fixed) {
			fixed = this.#i18n.getFixedT(lang);
			this.#fixed.set(lang, fixed);
		}
		return String(fixed(key, options as TOptions));
	};

	/** Whether `key` exists (in the current language or the fallback). */
	has(key: string): boolean {
		void this.#version;
		return this.#i18n.exists(key, { lng: this.lang });
	}

	/** The `Intl` locale tag for the current language (`nl-NL`, `en-GB`). */
	get intl(): string {
		return INTL_LOCALE[this.lang];
	}

	number = (value: number | null | undefined, decimals?: number): string => formatNumber(value, this.lang, decimals);
	count = (value: number | null | undefined): string => formatCount(value, this.lang);
	quantity = (value: number | null | undefined, decimals?: number, unit?: string): string =>
		formatQuantity(value, this.lang, decimals, unit);
	date = (epochMs: number | null | undefined, style?: DateStyle): string => formatDate(epochMs, this.lang, style);
}

const [getLocaleContext, setLocaleContext] = createContext<Locale>();

/** The `Locale` of this render; call during component initialisation. */
export const getLocale = getLocaleContext;
/** Provides the `Locale` to every component below; called once by the root layout. */
export const setLocale = setLocaleContext;
