import { redirect } from '@sveltejs/kit';
import { startPage } from '$lib/shared/permissions';
import type { PageServerLoad } from './$types';

/** The start screen of the signed-in user's role; the sign-in page for nobody. */
export const load: PageServerLoad = ({ locals }) => redirect(307, locals.user ? startPage(locals.user.role) : '/login');
