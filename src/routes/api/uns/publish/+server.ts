import { error, json } from '@sveltejs/kit';
import { getRuntime } from '$lib/server/runtime';
import { jsonBody, requirePermission } from '$lib/server/http/write-guards';
import { publishAction, publishBody } from '$lib/server/uns/publish';
import type { RequestHandler } from './$types';

/**
 * Publishes to a UNS topic (admins): role first (403), then the body (415/400), then the broker (503 when
 * it is not connected). An empty retained payload clears the topic's retained value. Audited before we answer.
 */
export const POST: RequestHandler = async ({ locals, request }) => {
	const user = requirePermission(locals, 'uns.publish');
	const body = await jsonBody(request, publishBody);
	const { uns, audit, clock, log } = await getRuntime();
	try {
		await uns.publish(body);
	} catch (err) {
		log.warn({ user: user.username, topic: body.topic, err: (err as Error).message }, 'uns publish failed');
		error(503, { message: 'the MQTT broker is not reachable', code: 'HMI_ERR_UNAVAILABLE' });
	}
	const action = publishAction(body);
	const id = audit.record({
		ts: clock.now(),
		user: user.username,
		action,
		target: body.topic,
		newValue: action === 'uns.clear' ? undefined : body.payload,
		detail: { qos: body.qos, retain: body.retain }
	});
	log.info({ user: user.username, action, topic: body.topic, qos: body.qos, retain: body.retain }, 'uns publish');
	return json({ ok: true, action, auditId: id });
};
