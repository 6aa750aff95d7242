import { json } from '@sveltejs/kit';
import { ALARM_ACTIONS, type AlarmActionName, type AlarmActionResponse } from '$lib/shared/alarm-api';
import { can } from '$lib/shared/permissions';
import { services } from '$lib/server/services';
import { requireUser } from '$lib/server/http/guards';
import { ALARM_ACTION_SPECS } from '$lib/server/http/alarm-actions';
import type { RequestHandler } from './$types';
import { httpError } from '$lib/server/http/http-error';

/**
 * Operator actions on alarms: ack, shelve, unshelve, out-of-service, return-to-service, reset.
 * Role first (403, nothing changed), then the body (400); each accepted action is journaled before we answer,
 * or — when the database refuses writes — takes effect and says so: `journal: 'queued'` (200, never a 500
 * for a change that happened; the row is written once the database works again).
 */
export const POST: RequestHandler = async ({ params, locals, request }) => {
	const user = requireUser(locals);
	if (!(ALARM_ACTIONS as readonly string[]).includes(params.action))
		httpError('HMI_ERR_NOT_FOUND', `unknown alarm action "${params.action}"`);
	const spec = ALARM_ACTION_SPECS[params.action as AlarmActionName];
	if (!can(user.role, spec.permission))
		httpError('HMI_ERR_FORBIDDEN', `the ${user.role} role may not ${params.action} alarms`);
	if (!request.headers.get('content-type')?.startsWith('application/json'))
		httpError('HMI_ERR_NOT_JSON', 'send the body as application/json');
	const parsed = spec.body.safeParse(await request.json().catch(() => undefined));
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		httpError('HMI_ERR_BAD_REQUEST', `${issue.path.join('.') || 'body'}: ${issue.message}`);
	}
	const { alarms, log } = await services();
	const response: AlarmActionResponse = {
		results: spec.events(parsed.data, user.username).map(([id, event]) => {
			const result = alarms.act(id, event);
			return result.ok ? { id, ok: true, journal: result.journal } : { id, ok: false, code: result.code };
		})
	};
	const unrecorded = response.results.some((r) => r.journal !== undefined && r.journal !== 'written');
	log[unrecorded ? 'warn' : 'info']({ user: user.username, action: params.action, results: response.results }, 'alarm action');
	return json(response);
};
