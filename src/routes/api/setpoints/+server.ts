import { json } from '@sveltejs/kit';
import { services } from '$lib/server/services';
import { setpointBody } from '$lib/server/http/setpoint-actions';
import { jsonBody, requirePermission } from '$lib/server/http/write-guards';
import type { RequestHandler } from './$types';
import { httpError } from '$lib/server/http/http-error';

/**
 * Writes a setpoint: role first (403, nothing written), then the body (415/400), then the service:
 * 400 out of limits, 409 while the tag or its source is not Good, 502 when the source refused. 200 = the audit entry.
 */
export const POST: RequestHandler = async ({ locals, request }) => {
	const user = requirePermission(locals, 'setpoint.write');
	const body = await jsonBody(request, setpointBody);
	const { setpoints } = await services();
	const result = await setpoints.write(user.username, body.path, body.value, body.expected);
	if (!result.ok) httpError(result.code, result.message);
	return json(result.entry);
};
