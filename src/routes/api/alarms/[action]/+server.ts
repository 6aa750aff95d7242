import { error, json } from '@sveltejs/kit';
import { ALARM_ACTIONS, type AlarmActionName, type AlarmActionResponse } from '$lib/shared/alarm-api';
import { can } from '$lib/shared/permissions';
import { services } from '$lib/server/services';
import { requireUser } from '$lib/server/http/guards';
import { ALARM_ACTION_SPECS } from '$lib/server/http/alarm-actions';
import type { RequestHandler } from './$types';

/**
 * Operator actions on alarms: ack, shelve, unshelve, out-of-service, return-to-service, reset.
 * Role first (403, nothing changed), then the body (400); each accepted action is journaled before we answer,
 * or — when the database refuses writes — takes effect and says so: `journal: 'queued'` (200, never a 500
 * for a change that happened; the row is written once the database works again).
 */
export const POST: RequestHandler = async ({ params, locals, request }) => {
	const user = requireUser(locals);
	if (!(ALARM_ACTIONS as readonly string[]).includes(params.action))
		error(404, { message: `unknown alarm action "${params.action}"`, code: 'HMI_ERR_NOT_FOUND' });
	const spec = ALARM_ACTION_SPECS[params.action as AlarmActionName];
	if (!can(user.role, spec.permission))
		error(403, { message: `the ${user.role} role may not ${params.action} alarms`, code: 'HMI_ERR_FORBIDDEN' });
	if (!request.headers.get('content-type')?.startsWith('application/json'))
		error(415, { message: 'send the body as application/json', code: 'HMI_ERR_BAD_REQUEST' });
	const parsed = spec.body.safeParse(await request.json().catch(() => undefined));
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		error(400, { message: `${issue.path.join('.') || 'body'}: ${issue.message}`, code: 'HMI_ERR_BAD_REQUEST' });
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
