import { services } from '$lib/server/services';
import { createSseStream } from '$lib/server/hub/sse';
import { requireUser, patternsFrom } from '$lib/server/http/guards';
import type { RequestHandler } from './$types';
import { httpError } from '$lib/server/http/http-error';

/**
 * Server-Sent Events for one-way consumers (wallboards, widgets): the same snapshot and delta frames as
 * the WebSocket, one JSON object per `data:` line. Each user may hold SSE_MAX_PER_USER streams open; more
 * are refused with 429 HMI_ERR_TOO_MANY_CONNECTIONS.
 */
export const GET: RequestHandler = async ({ locals, url }) => {
	const user = requireUser(locals);
	const patterns = patternsFrom(url);
	const { streams: hub } = await services();
	const release = hub.reserveConnection(user, 'stream');
	if (!release) httpError('HMI_ERR_TOO_MANY_CONNECTIONS', `at most ${hub.limits.maxStreamsPerUser} open streams per user`);
	let session: ReturnType<typeof hub.connect> | undefined;
	const stream = createSseStream(
		hub.limits.maxBufferedBytes,
		(conn) => {
			session = hub.connect(conn, user);
			hub.receive(session, JSON.stringify({ type: 'sub', id: 1, patterns }));
		},
		() => {
			release();
			if (session) hub.disconnect(session);
		}
	);
	return new Response(stream, {
		headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' }
	});
};
