import type { TagValue } from '$lib/shared/protocol';
import type { AlarmTrigger } from './model';

/**
 * The alarm condition before delays, with hysteresis: a high alarm turns on at `value ≥ limit` and, once
 * active, stays on until `value < limit − deadband` (a low alarm mirrors this), so a value hovering at the
 * limit does not chatter. The deadband counts from the *active* alarm: while an activation is still pending
 * (on-delay), a dip below the limit cancels it.
 * @param active whether the alarm is active now
 * @returns undefined when the value says nothing (not a finite number): the condition stays as it was
 */
export function rawCondition(trigger: AlarmTrigger, value: TagValue, active: boolean): boolean | undefined {
	switch (trigger.kind) {
		case 'limit': {
			if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
			const { limit, deadband } = trigger;
			if (trigger.direction === 'high') return active ? value >= limit - deadband : value >= limit;
			return active ? value <= limit + deadband : value <= limit;
		}
		case 'discrete':
			return (typeof value === 'string' || typeof value === 'number') && trigger.equals.includes(value);
		case 'comms':
			return value !== 'connected';
	}
}
