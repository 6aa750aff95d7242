import { error } from '@sveltejs/kit';
import type { PageLoad } from './$types';

/** No screen at this address: a 404 rendered by (app)/+error.svelte, inside the app frame. */
export const load: PageLoad = () => error(404, 'Not Found');
