/**
 * The browser's side of `POST /api/setpoints`, and why a setpoint may not be changed right now.
 * Every outcome comes back as an i18n key, so the control can always say what happened.
 */
import type { StaleReason } from './live.svelte';

export const SETPOINTS_ENDPOINT = '/api/setpoints';

/**
 * `unknown`: the write may or may not have reached the machine (no answer in time, or no answer from the
 * server at all): the user must be told to check the value on the machine, never that nothing changed.
 */
export type SetpointOutcome = { ok: true; newValue: number } | { ok: false; key: string; unknown: boolean };

/** What a refused write means for the user: the server's stable code when it sent one. */
export function setpointFailureKey(status: number, code: unknown): string {
	if (typeof code === 'string' && code.startsWith('HMI_ERR_')) return `errors.${code}`;
	if (status === 401) return 'errors.HMI_ERR_UNAUTHORIZED';
	if (status === 403) return 'errors.HMI_ERR_FORBIDDEN';
	return 'errors.unknown';
}

/**
 * Writes a setpoint.
 * @param expected the value the user saw when they chose the new one (the server refuses if it changed)
 */
export async function postSetpoint(path: string, value: number, expected: unknown, fetchFn: typeof fetch = fetch): Promise<SetpointOutcome> {
	let res: Response;
	try {
		res = await fetchFn(SETPOINTS_ENDPOINT, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(typeof expected === 'number' ? { path, value, expected } : { path, value })
		});
	} catch {
		// The request may have reached the server before the connection failed.
		return { ok: false, key: 'setpoint.network', unknown: true };
	}
	const body = (await res.json().catch(() => null)) as { code?: unknown; newValue?: unknown } | null;
	if (!res.ok) {
		// A server error without a code (a proxy's 502/504, a crash) says nothing about what was sent either.
		const unknown = body?.code === 'HMI_ERR_SETPOINT_OUTCOME_UNKNOWN' || (res.status >= 500 && typeof body?.code !== 'string');
		return { ok: false, key: unknown && typeof body?.code !== 'string' ? 'setpoint.network' : setpointFailureKey(res.status, body?.code), unknown };
	}
	return { ok: true, newValue: typeof body?.newValue === 'number' ? body.newValue : value };
}

/** Why the control is disabled (an i18n key), or null when the value may be changed. */
export function blockedKey(canWrite: boolean, staleness: StaleReason | null): string | null {
	if (!canWrite || staleness === 'offline') return 'setpoint.blocked.offline';
	if (staleness === 'novalue') return 'setpoint.blocked.noValue';
	if (staleness !== null) return 'setpoint.blocked.stale';
	return null;
}
