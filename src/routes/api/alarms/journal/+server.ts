import { json } from '@sveltejs/kit';
import { MAX_JOURNAL_ROWS } from '$lib/shared/alarm-api';
import { ALARM_STATES, type AlarmDisplayState } from '$lib/shared/alarms';
import { services } from '$lib/server/services';
import { requireUser } from '$lib/server/http/guards';
import { toCsv } from '$lib/shared/csv';
import { localText } from '$lib/shared/languages';
import { fromStorage } from '$lib/server/http/storage';
import type { RequestHandler } from './$types';
import { httpError } from '$lib/server/http/http-error';

/** A time as epoch ms or ISO 8601; 400 for anything else. */
function time(url: URL, name: string): number | undefined {
	const raw = url.searchParams.get(name);
	if (raw === null || raw === '') return undefined;
	const value = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
	if (!Number.isFinite(value)) httpError('HMI_ERR_BAD_REQUEST', `${name} must be epoch milliseconds or an ISO date`);
	return value;
}

/** The alarm journal, newest first, as JSON or (format=csv) a spreadsheet-safe CSV download; 503 HMI_ERR_STORAGE when the database cannot be read. */
export const GET: RequestHandler = async ({ locals, url }) => {
	const user = requireUser(locals);
	const from = time(url, 'from');
	const to = time(url, 'to');
	if (from !== undefined && to !== undefined && from > to) httpError('HMI_ERR_BAD_REQUEST', 'from is after to');
	const state = url.searchParams.get('state') || undefined;
	if (state && !(ALARM_STATES as readonly string[]).includes(state)) httpError('HMI_ERR_BAD_REQUEST', `unknown state "${state}"`);
	const limit = Number(url.searchParams.get('limit') ?? 500);
	if (!Number.isInteger(limit) || limit < 1 || limit > MAX_JOURNAL_ROWS)
		httpError('HMI_ERR_BAD_REQUEST', `limit must be 1 to ${MAX_JOURNAL_ROWS}`);
	const { journal } = await services();
	const entries = await fromStorage(() =>
		journal.query({
			from,
			to,
			alarm: url.searchParams.get('alarm') || undefined,
			user: url.searchParams.get('user') || undefined,
			state: state as AlarmDisplayState | undefined,
			limit
		})
	);
	if (url.searchParams.get('format') !== 'csv') return json(entries, { headers: { 'cache-control': 'no-store' } });
	const lang = user.lang;
	const csv = toCsv(
		['time', 'alarm', 'line', 'machine', 'priority', 'from', 'to', 'action', 'user', 'comment', 'reason', 'value', 'message'],
		entries.map((e) => [new Date(e.ts).toISOString(), e.alarmId, e.line, e.machine, e.priority, e.from, e.to, e.action, e.user, e.comment, e.reason, e.value, localText(e.message, lang)])
	);
	return new Response(csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="alarm-journal-${new Date().toISOString().slice(0, 10)}.csv"`,
			'cache-control': 'no-store'
		}
	});
};
