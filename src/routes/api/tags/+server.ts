import { json } from '@sveltejs/kit';
import { services } from '$lib/server/services';
import { requireUser, patternsFrom } from '$lib/server/http/guards';
import type { RequestHandler } from './$types';

/** Current values of the tags matching `pattern` (repeat it or separate with commas). */
export const GET: RequestHandler = async ({ locals, url }) => {
	requireUser(locals);
	const patterns = patternsFrom(url);
	const { tags: store } = await services();
	const seen = new Set<number>();
	const tags = patterns.flatMap((p) => store.match(p)).filter((t) => !seen.has(t.id) && seen.add(t.id));
	return json(
		tags.map(({ path, value, quality, sourceTs, serverTs, origin }) => ({ path, value, quality, sourceTs, serverTs, origin })),
		{ headers: { 'cache-control': 'no-store' } }
	);
};
