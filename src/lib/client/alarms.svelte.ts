/**
 * The plant's alarms in this tab, read from the alarm tags the live client already receives (the app layout
 * subscribes to everything under the enterprise and `_sys`). One store per tab, in Svelte context.
 */
import { createContext } from 'svelte';
import { FLOOD_PATH } from '$lib/shared/alarms';
import type { LiveClient } from './live.svelte';
import { isAlarmPath, summarise, toAlarm, toFlood, type Alarm } from './alarms';

/** What the store needs from the live client; tests pass a real `LiveClient` on a fake socket. */
export type AlarmSource = Pick<LiveClient, 'tagsWhere' | 'tag'>;

export class AlarmStore {
	readonly #live: AlarmSource;

	/** Every alarm the server has sent, in any state (also `normal`). */
	readonly all: Alarm[] = $derived.by(() => {
		const out: Alarm[] = [];
		for (const t of this.#live.tagsWhere(isAlarmPath)) {
			const a = toAlarm(t.path, t.value);
			if (a) out.push(a);
		}
		return out;
	});

	/** Unacknowledged counts per priority and the newest unacknowledged alarm. */
	readonly summary = $derived(summarise(this.all));

	/** The plant-wide alarm flood indicator. */
	readonly flood = $derived.by(() => toFlood(this.#live.tag(FLOOD_PATH).value));

	constructor(live: AlarmSource) {
		this.#live = live;
	}

	/** The alarm with this id, or undefined. */
	get(id: string): Alarm | undefined {
		return this.all.find((a) => a.id === id);
	}
}

const [getAlarmsContext, setAlarmsContext] = createContext<AlarmStore>();

/** The tab's `AlarmStore`, provided by the `(app)` layout. */
export const getAlarms = getAlarmsContext;
export const setAlarms = setAlarmsContext;
