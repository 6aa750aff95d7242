/**
 * The browser's side of `POST /api/setpoints`, and why a setpoint may not be changed right now.
 * Every outcome comes back as an i18n key, so the control can always say what happened.
 */
import { send } from './api';
import type { StaleReason } from './live.svelte';

export const SETPOINTS_ENDPOINT = '/api/setpoints';

/**
 * `unknown`: the write may or may not have reached the machine (no answer in time, or no answer from the
 * server at all): the user must be told to check the value on the machine, never that nothing changed.
 */
export type SetpointOutcome = { ok: true; newValue: number } | { ok: false; key: string; unknown: boolean };

/**
 * Writes a setpoint.
 * @param expected the value the user saw when they chose the new one (the server refuses if it changed)
 */
export async function postSetpoint(path: string, value: number, expected: unknown, fetchFn: typeof fetch = fetch): Promise<SetpointOutcome> {
	const res = await send(SETPOINTS_ENDPOINT, {
		method: 'POST',
		json: typeof expected === 'number' ? { path, value, expected } : { path, value },
		fetchFn,
		fallbackKey: 'errors.unknown',
		networkKey: 'setpoint.network'
	});
	if (res.ok) {
		const newValue = (res.body as { newValue?: unknown } | undefined)?.newValue;
		return { ok: true, newValue: typeof newValue === 'number' ? newValue : value };
	}
	// No answer: the request may have reached the server before the connection failed. A server error
	// without one of our codes (a proxy's 502/504, a crash) says nothing about what was sent either.
	if (res.status === 0 || (res.status >= 500 && !res.code)) return { ok: false, key: 'setpoint.network', unknown: true };
	return { ok: false, key: res.key, unknown: res.code === 'HMI_ERR_SETPOINT_OUTCOME_UNKNOWN' };
}

/**
 * Why the control is disabled (an i18n key), or null when the value may be changed; the most lasting reason
 * first, so the user is not told to wait for a connection when their role may never write.
 * @param allowed whether the user's role may write setpoints (the server checks again)
 */
export function blockedKey(allowed: boolean, canWrite: boolean, staleness: StaleReason | null): string | null {
	if (!allowed) return 'setpoint.blocked.role';
	if (!canWrite || staleness === 'offline') return 'setpoint.blocked.offline';
	if (staleness === 'source') return 'setpoint.blocked.source';
	if (staleness === 'novalue') return 'setpoint.blocked.noValue';
	if (staleness !== null) return 'setpoint.blocked.stale';
	return null;
}
