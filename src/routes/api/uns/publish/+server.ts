import { json } from '@sveltejs/kit';
import { services } from '$lib/server/services';
import { jsonBody, requirePermission } from '$lib/server/http/write-guards';
import { publishAction, publishBody } from '$lib/server/uns/publish';
import { UnsPublishError } from '$lib/server/uns/service';
import type { RequestHandler } from './$types';
import { httpError } from '$lib/server/http/http-error';

/**
 * Publishes to a UNS topic (admins): role first (403), then the body (415/400), then the topic (403 for a
 * command, derived, plant or Sparkplug topic: not ours to publish), then the broker: 503 at
 * once when it is not connected (nothing sent), 502 when it did not confirm in time or reported an error.
 * An empty retained payload clears the topic's retained value. Audited before we answer, failed attempts
 * too (`detail.result: 'failed'`): after a timeout the broker may still have the message.
 */
export const POST: RequestHandler = async ({ locals, request }) => {
	const user = requirePermission(locals, 'uns.publish');
	const body = await jsonBody(request, publishBody);
	const { uns, audit, clock, log } = await services();
	const action = publishAction(body);
	const record = (failed: boolean) =>
		audit.record({
			ts: clock.now(),
			user: user.username,
			action,
			target: body.topic,
			newValue: action === 'uns.clear' ? undefined : body.payload,
			detail: failed ? { qos: body.qos, retain: body.retain, result: 'failed' } : { qos: body.qos, retain: body.retain }
		});
	try {
		await uns.publish(body);
	} catch (err) {
		const reason = err instanceof UnsPublishError ? err.reason : 'refused';
		log.warn({ user: user.username, topic: body.topic, reason, err: (err as Error).message }, 'uns publish failed');
		// Nothing was sent: no audit row, as for any other refused request.
		if (reason === 'protected') httpError('HMI_ERR_UNS_PUBLISH_PROTECTED', `not published: ${(err as Error).message}`);
		if (reason === 'not-connected') httpError('HMI_ERR_UNAVAILABLE', 'the MQTT broker is not reachable');
		record(true);
		if (reason === 'timeout') httpError('HMI_ERR_UNS_PUBLISH_TIMEOUT', 'the broker did not confirm the publish in time; it was withdrawn');
		httpError('HMI_ERR_UNS_PUBLISH_FAILED', 'the broker connection failed during the publish; the broker may or may not have the message');
	}
	const id = record(false);
	log.info({ user: user.username, action, topic: body.topic, qos: body.qos, retain: body.retain }, 'uns publish');
	return json({ ok: true, action, auditId: id });
};
