import { json } from '@sveltejs/kit';
import { services } from '$lib/server/services';
import { requireUser } from '$lib/server/http/guards';
import { rowsToCsv, subtreeValues } from '$lib/server/uns/export';
import type { RequestHandler } from './$types';
import { httpError } from '$lib/server/http/http-error';

/** The current values of a subtree of the UNS tree as CSV or JSON (`?path=acme/site&format=csv`). Any signed-in user. */
export const GET: RequestHandler = async ({ locals, url }) => {
	requireUser(locals);
	const path = url.searchParams.get('path') ?? '';
	const format = url.searchParams.get('format') ?? 'json';
	if (format !== 'json' && format !== 'csv') httpError('HMI_ERR_BAD_REQUEST', 'format is json or csv');
	const { unsTree: tree } = await services();
	const node = tree.find(path);
	if (!node) httpError('HMI_ERR_UNKNOWN_PATH', `no node ${JSON.stringify(path.slice(0, 80))}`);
	const { rows, truncated } = subtreeValues(node);
	const name = `uns-${(path || 'root').replace(/[^\w.-]+/g, '_')}.${format}`;
	const headers = { 'content-disposition': `attachment; filename="${name}"`, 'x-truncated': String(truncated) };
	if (format === 'json') return json({ path, truncated, topics: rows }, { headers });
	return new Response(rowsToCsv(rows), { headers: { ...headers, 'content-type': 'text/csv; charset=utf-8' } });
};
