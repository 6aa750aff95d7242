import { json } from '@sveltejs/kit';
import { services } from '$lib/server/services';
import { jsonBody, requirePermission } from '$lib/server/http/write-guards';
import { rebirthBody } from '$lib/server/uns/publish';
import type { RequestHandler } from './$types';
import { httpError } from '$lib/server/http/http-error';

/** Asks a Sparkplug B edge node to re-send its births (admins): the host's NCMD Rebirth, published and audited. */
export const POST: RequestHandler = async ({ locals, request }) => {
	const user = requirePermission(locals, 'uns.publish');
	const body = await jsonBody(request, rebirthBody);
	const { uns, audit, clock, log } = await services();
	if (!uns.canRebirth) httpError('HMI_ERR_UNAVAILABLE', 'no Sparkplug host is running');
	let topic: string;
	try {
		topic = await uns.rebirth(body.group, body.edge);
	} catch (err) {
		log.warn({ user: user.username, ...body, err: (err as Error).message }, 'sparkplug rebirth failed');
		httpError('HMI_ERR_UNAVAILABLE', 'the MQTT broker is not reachable');
	}
	const id = audit.record({ ts: clock.now(), user: user.username, action: 'uns.rebirth', target: `${body.group}/${body.edge}`, detail: { topic } });
	log.info({ user: user.username, group: body.group, edge: body.edge }, 'sparkplug rebirth requested');
	return json({ ok: true, topic, auditId: id });
};
