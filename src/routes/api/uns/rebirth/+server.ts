import { error, json } from '@sveltejs/kit';
import { services } from '$lib/server/services';
import { jsonBody, requirePermission } from '$lib/server/http/write-guards';
import { rebirthBody } from '$lib/server/uns/publish';
import type { RequestHandler } from './$types';

/** Asks a Sparkplug B edge node to re-send its births (admins): the host's NCMD Rebirth, published and audited. */
export const POST: RequestHandler = async ({ locals, request }) => {
	const user = requirePermission(locals, 'uns.publish');
	const body = await jsonBody(request, rebirthBody);
	const { uns, audit, clock, log } = await services();
	if (!uns.canRebirth) error(503, { message: 'no Sparkplug host is running', code: 'HMI_ERR_UNAVAILABLE' });
	let topic: string;
	try {
		topic = await uns.rebirth(body.group, body.edge);
	} catch (err) {
		log.warn({ user: user.username, ...body, err: (err as Error).message }, 'sparkplug rebirth failed');
		error(503, { message: 'the MQTT broker is not reachable', code: 'HMI_ERR_UNAVAILABLE' });
	}
	const id = audit.record({ ts: clock.now(), user: user.username, action: 'uns.rebirth', target: `${body.group}/${body.edge}`, detail: { topic } });
	log.info({ user: user.username, group: body.group, edge: body.edge }, 'sparkplug rebirth requested');
	return json({ ok: true, topic, auditId: id });
};
