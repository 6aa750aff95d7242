/** The admin screen's calls to `/api/admin/users`; a failure comes back as an i18n key. */
export type AdminOutcome = { ok: true } | { ok: false; key: string };

export type UserAction = 'disable' | 'enable' | 'password' | 'role';

async function post(url: string, body: unknown, fetchFn: typeof fetch): Promise<AdminOutcome> {
	let res: Response;
	try {
		res = await fetchFn(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	} catch {
		return { ok: false, key: 'setpoint.network' };
	}
	if (res.ok) return { ok: true };
	const code = ((await res.json().catch(() => null)) as { code?: unknown } | null)?.code;
	return { ok: false, key: typeof code === 'string' && code.startsWith('HMI_ERR_') ? `errors.${code}` : 'errors.unknown' };
}

export function createUser(body: { username: string; role: string; password: string }, fetchFn: typeof fetch = fetch): Promise<AdminOutcome> {
	return post('/api/admin/users', body, fetchFn);
}

export function userAction(id: number, action: UserAction, body: object = {}, fetchFn: typeof fetch = fetch): Promise<AdminOutcome> {
	return post(`/api/admin/users/${id}/${action}`, body, fetchFn);
}
