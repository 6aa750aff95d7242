/**
 * Alarm flood detection (ISA-18.2 / EEMUA 191): a flood starts when more than `count` alarms activate
 * within `windowMs`, and ends once fewer than `endBelow` activations remain in the window. Pure.
 */
export interface FloodSettings {
	count: number;
	windowMs: number;
	endBelow: number;
}

export interface FloodState {
	active: boolean;
	/** Times of recent activations, oldest first. */
	recent: number[];
	/** When the current flood began. */
	since: number | null;
}

export const NO_FLOOD: FloodState = { active: false, recent: [], since: null };

/**
 * Counts an activation (when `activation` is true) and re-evaluates the flood at `now`.
 * Returns the same object when nothing changed.
 */
export function updateFlood(state: FloodState, settings: FloodSettings, now: number, activation: boolean): FloodState {
	const recent = state.recent.filter((t) => now - t < settings.windowMs);
	if (activation) recent.push(now);
	let { active, since } = state;
	if (!active && recent.length > settings.count) {
		active = true;
		since = now;
	} else if (active && recent.length < settings.endBelow) {
		active = false;
		since = null;
	}
	if (active === state.active && recent.length === state.recent.length && !activation) return state;
	return { active, recent, since };
}
