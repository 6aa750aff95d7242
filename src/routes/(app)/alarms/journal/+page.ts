import { JOURNAL_ENDPOINT, fetchJournal, journalParams, type JournalQuery } from '$lib/client/alarm-api';
import { JOURNAL_PAGE_LIMIT, parseJournalSearch } from '$lib/client/journal-range';
import { MAX_JOURNAL_ROWS } from '$lib/shared/alarm-api';
import type { PageLoad } from './$types';

/** The journal view the URL asks for, read from the alarm API (on the server for the first render, then in the browser). */
export const load: PageLoad = async ({ url, fetch, parent }) => {
	const { plant } = await parent();
	const view = parseJournalSearch(url.searchParams, Date.now(), plant.shifts?.map((s) => s.start));
	const query: JournalQuery = {
		from: view.from,
		to: view.to,
		alarm: view.alarm,
		user: view.user,
		state: view.state,
		limit: JOURNAL_PAGE_LIMIT
	};
	return {
		view,
		result: await fetchJournal(query, fetch),
		limit: JOURNAL_PAGE_LIMIT,
		// The export has the same filters, and as many rows as the API gives.
		csvHref: `${JOURNAL_ENDPOINT}?${journalParams({ ...query, limit: MAX_JOURNAL_ROWS }, 'csv')}`
	};
};
