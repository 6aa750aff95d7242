import { error } from '@sveltejs/kit';
import type { PageLoad } from './$types';

/** The machine named in the URL, from the plant the app layout already loaded; unknown ids are a 404. */
export const load: PageLoad = async ({ params, parent }) => {
	const { plant } = await parent();
	const line = plant.lines.find((l) => l.id === params.line);
	const machine = line?.machines.find((m) => m.id === params.machine);
	if (!line || !machine) error(404, 'detail.notFound');
	return { line, machine };
};
