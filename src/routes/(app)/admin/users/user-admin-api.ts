/** The admin screen's calls to `/api/admin/users`; a failure comes back as an i18n key. */
import { send } from '$lib/client/api';

export type AdminOutcome = { ok: true } | { ok: false; key: string };

export type UserAction = 'disable' | 'enable' | 'password' | 'role';

async function post(url: string, body: unknown, fetchFn: typeof fetch): Promise<AdminOutcome> {
	const res = await send(url, { method: 'POST', json: body, fetchFn, fallbackKey: 'errors.unknown', networkKey: 'setpoint.network' });
	return res.ok ? { ok: true } : { ok: false, key: res.key };
}

export function createUser(body: { username: string; role: string; password: string }, fetchFn: typeof fetch = fetch): Promise<AdminOutcome> {
	return post('/api/admin/users', body, fetchFn);
}

export function userAction(id: number, action: UserAction, body: object = {}, fetchFn: typeof fetch = fetch): Promise<AdminOutcome> {
	return post(`/api/admin/users/${id}/${action}`, body, fetchFn);
}
