import { rawCondition } from './condition';
import {
	displayState,
	isHidden,
	type AlarmDefinition,
	type AlarmEffect,
	type AlarmEvent,
	type AlarmState,
	type RejectCode
} from './model';

/**
 * How long after an activation the detail (e.g. the fault's reason code) may still change: sources send the
 * state and the reason as separate messages, in either order. After this the detail is the one it started with.
 */
export const DETAIL_GRACE_MS = 2000;

/** Limits the engine needs besides the definition. */
export interface AlarmLimits {
	maxShelveMs: number;
	chatterCount: number;
	chatterWindowMs: number;
}

/**
 * The alarm state machine: pure, so it is tested without mocks and driven by a fake clock.
 * Returns the same state object when nothing changed, so callers publish only real changes.
 *
 * Conventions:
 * - Activation: the condition (with deadband, see `rawCondition`) must hold for `onDelayMs`; it clears
 *   when the opposite holds for `offDelayMs`. Delays are checked on every value and every tick.
 * - A new activation is unacknowledged and annunciated, unless the alarm is shelved, suppressed or out
 *   of service; it is then still tracked, and annunciated when it comes back into view still active.
 * - A latching alarm whose condition clears shows `latched` until someone resets it (reset also acknowledges).
 * - A one-shot shelve ends when the alarm returns to normal; a timed shelve ends at its time.
 */
export function transition(
	def: AlarmDefinition,
	limits: AlarmLimits,
	state: AlarmState,
	event: AlarmEvent,
	now: number
): [AlarmState, AlarmEffect[]] {
	const before = displayState(state);
	const effects: AlarmEffect[] = [];
	let next: AlarmState = state;
	const change = (patch: Partial<AlarmState>) => (next = { ...next, ...patch });
	const reject = (code: RejectCode): [AlarmState, AlarmEffect[]] => [state, [{ type: 'rejected', code }]];
	let action: (AlarmEffect & { type: 'journal' }) | undefined;

	switch (event.type) {
		case 'value': {
			const raw = rawCondition(def.trigger, event.value, state.active) ?? state.raw;
			change({ value: event.value });
			if (raw !== state.raw) change({ raw, rawSince: now });
			if (event.detail !== undefined && !next.active) change({ detail: event.detail });
			break;
		}
		case 'detail':
			if (state.active && state.activeSince !== null && now - state.activeSince <= DETAIL_GRACE_MS && event.value !== state.detail)
				change({ detail: event.value });
			break;
		case 'tick':
			break;
		case 'suppress':
			if (event.on !== state.suppressed) change({ suppressed: event.on });
			break;
		case 'ack': {
			if (isHidden(state)) return reject('alarm.hidden');
			if (state.acked) return reject('alarm.nothing_to_ack');
			change({ acked: true });
			action = { type: 'journal', from: before, to: before, action: 'ack', user: event.user, comment: event.comment };
			break;
		}
		case 'shelve': {
			if (state.shelved) return reject('alarm.already_shelved');
			if (event.durationMs === null) {
				// One-shot: meant for a standing alarm, ends when it returns to normal.
				if (!state.active) return reject('alarm.not_active');
				change({ shelved: { kind: 'one-shot', by: event.user, reason: event.reason } });
			} else {
				if (event.durationMs <= 0 || event.durationMs > limits.maxShelveMs) return reject('alarm.shelve_too_long');
				change({ shelved: { kind: 'timed', until: now + event.durationMs, by: event.user, reason: event.reason } });
			}
			action = { type: 'journal', from: before, to: before, action: 'shelve', user: event.user, reason: event.reason };
			break;
		}
		case 'unshelve':
			if (!state.shelved) return reject('alarm.not_shelved');
			change({ shelved: null });
			action = { type: 'journal', from: before, to: before, action: 'unshelve', user: event.user };
			break;
		case 'out_of_service':
			if (state.outOfService) return reject('alarm.already_out_of_service');
			change({ outOfService: { by: event.user, reason: event.reason } });
			action = { type: 'journal', from: before, to: before, action: 'out_of_service', user: event.user, reason: event.reason };
			break;
		case 'return_to_service':
			if (!state.outOfService) return reject('alarm.in_service');
			change({ outOfService: null });
			action = { type: 'journal', from: before, to: before, action: 'return_to_service', user: event.user };
			break;
		case 'reset':
			if (!state.latched) return reject(state.active && def.latching ? 'alarm.still_active' : 'alarm.not_latched');
			change({ latched: false, acked: true });
			action = { type: 'journal', from: before, to: before, action: 'reset', user: event.user };
			break;
	}

	settleCondition(def, limits, next, now, change);
	action ??= expireShelve(next, now, change, before);
	trimChatter(limits, next, now, change);

	const after = displayState(next);
	if (action) effects.push({ ...action, to: after });
	else if (after !== before) effects.push({ type: 'journal', from: before, to: after });
	if (after !== before) change({ changedAt: now });
	// Annunciate what newly needs an operator: an unacknowledged active alarm that was not so before.
	if (after === 'unack_active' && before !== 'unack_active') effects.push({ type: 'annunciate', priority: def.priority });
	return [next, effects];
}

/** Applies on/off delays: the condition follows `raw` once it has held long enough. */
function settleCondition(
	def: AlarmDefinition,
	limits: AlarmLimits,
	s: AlarmState,
	now: number,
	change: (patch: Partial<AlarmState>) => AlarmState
): void {
	if (s.raw === s.active) return;
	const held = now - s.rawSince;
	if (s.raw && held >= def.onDelayMs) {
		const activations = [...s.activations, now].filter((t) => now - t < limits.chatterWindowMs);
		change({
			active: true,
			acked: false,
			latched: false,
			activeSince: now,
			activations,
			chattering: activations.length >= limits.chatterCount
		});
	} else if (!s.raw && held >= def.offDelayMs) {
		const oneShotEnds = s.shelved?.kind === 'one-shot';
		change({
			active: false,
			latched: def.latching,
			activeSince: null,
			// A one-shot shelve ends here; the return to normal needs no acknowledgement then.
			...(oneShotEnds && { shelved: null, acked: true })
		});
	}
}

/** Ends a timed shelve whose time has come; returns the journal entry for it. */
function expireShelve(
	s: AlarmState,
	now: number,
	change: (patch: Partial<AlarmState>) => AlarmState,
	before: ReturnType<typeof displayState>
): (AlarmEffect & { type: 'journal' }) | undefined {
	if (s.shelved?.kind !== 'timed' || now < s.shelved.until) return undefined;
	change({ shelved: null });
	return { type: 'journal', from: before, to: before, action: 'expire' };
}

function trimChatter(limits: AlarmLimits, s: AlarmState, now: number, change: (patch: Partial<AlarmState>) => AlarmState): void {
	if (s.activations.length === 0 || now - s.activations[0] < limits.chatterWindowMs) return;
	const activations = s.activations.filter((t) => now - t < limits.chatterWindowMs);
	change({ activations, chattering: activations.length >= limits.chatterCount });
}
