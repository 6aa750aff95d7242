import type { AuditEntry, AuditQuery } from '../store/audit-log';
import { toCsv } from '$lib/shared/csv';
import { httpError } from './http-error';

/** Most audit rows one request returns. */
export const MAX_AUDIT_ROWS = 5000;
const DEFAULT_AUDIT_ROWS = 200;

/** `?action=user.&limit=100`: an exact action or a prefix ending in '.'; 400 on a bad limit. */
export function auditQueryFrom(url: URL): AuditQuery {
	const action = url.searchParams.get('action')?.trim() || undefined;
	const limitText = url.searchParams.get('limit');
	const limit = limitText === null ? DEFAULT_AUDIT_ROWS : Number(limitText);
	if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_ROWS)
		httpError('HMI_ERR_BAD_REQUEST', `limit must be 1…${MAX_AUDIT_ROWS}`);
	if (action && !/^[a-z_]+(\.[a-z_]*)?$/.test(action)) httpError('HMI_ERR_BAD_REQUEST', 'action must look like "setpoint." or "user.create"');
	return { action, limit };
}

export function auditCsv(entries: AuditEntry[]): string {
	return toCsv(
		['time', 'user', 'action', 'target', 'old', 'new', 'detail'],
		entries.map((e) => [new Date(e.ts).toISOString(), e.user, e.action, e.target, e.oldValue, e.newValue, e.detail])
	);
}
