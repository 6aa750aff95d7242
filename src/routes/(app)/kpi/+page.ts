import { fetchOeeHistory } from '$lib/client/kpi-api';
import { HISTORY_SHIFTS } from '$lib/client/kpi';
import type { PageLoad } from './$types';

/**
 * Earlier shifts of every line and machine from the OEE API (on the server for the first render, then in
 * the browser); the current shift then streams live. The `?line=` drill-down is read by the page, not
 * here, so opening a line does not fetch the history again.
 */
export const load: PageLoad = async ({ fetch }) => ({ history: await fetchOeeHistory(HISTORY_SHIFTS, fetch) });
