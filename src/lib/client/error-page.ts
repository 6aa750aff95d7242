/**
 * What an error page says: a title by HTTP status, and a text from the most specific source there is —
 * the stable code the server sent (`errors.<CODE>`), an i18n key a load gave as its message, or the status.
 * The message itself is for logs (English, technical) and is never shown.
 */
import type { ErrorCode } from '$lib/shared/errors';

export interface ErrorPageTexts {
	/** i18n key of the heading. */
	title: string;
	/** i18n key of the explanation. */
	text: string;
}

type Kind = 'notFound' | 'forbidden' | 'unauthorized' | 'other';

/**
 * Codes whose text only repeats the status ("Not allowed." under the title "Not allowed"): for these the
 * page's own explanation for the status says more.
 */
const STATUS_ONLY_CODES: readonly ErrorCode[] = ['HMI_ERR_FORBIDDEN', 'HMI_ERR_UNAUTHORIZED', 'HMI_ERR_NOT_FOUND'];

function kindOf(status: number): Kind {
	if (status === 404) return 'notFound';
	if (status === 403) return 'forbidden';
	if (status === 401) return 'unauthorized';
	return 'other';
}

/**
 * @param error `page.error` (`code` set by httpError(), `message` sometimes an i18n key such as `detail.notFound`)
 * @param has whether the current locale has a key
 */
export function errorPageTexts(status: number, error: { message?: string; code?: ErrorCode } | null | undefined, has: (key: string) => boolean): ErrorPageTexts {
	const kind = kindOf(status);
	const byStatus = `errorPage.${kind}.text`;
	const codeKey = error?.code && !STATUS_ONLY_CODES.includes(error.code) ? `errors.${error.code}` : null;
	const messageKey = error?.message && /^[a-z][\w-]*(\.[\w-]+)+$/i.test(error.message) ? error.message : null;
	const text = codeKey && has(codeKey) ? codeKey : messageKey && has(messageKey) ? messageKey : byStatus;
	return { title: `errorPage.${kind}.title`, text };
}

/**
 * Where "back" leads: the root, which sends every user to their start screen (one place decides that,
 * src/routes/+page.server.ts).
 */
export const START_PAGE = '/';
