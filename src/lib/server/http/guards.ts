import type { SessionUser } from '../auth/auth-service';
import { checkPattern } from '$lib/shared/uns-path';
import { httpError } from './http-error';

/** The signed-in user, or a 401 for API callers. */
export function requireUser(locals: App.Locals): SessionUser {
	if (!locals.user) httpError('HMI_ERR_UNAUTHORIZED', 'sign in first');
	return locals.user;
}

/** Most patterns one API request may name. */
const MAX_PATTERNS = 32;

/** The `pattern` query parameters (repeated or comma-separated), each checked; 400 on a bad one. */
export function patternsFrom(url: URL): string[] {
	const patterns = url.searchParams
		.getAll('pattern')
		.flatMap((p) => p.split(','))
		.map((p) => p.trim())
		.filter(Boolean);
	if (patterns.length === 0) httpError('HMI_ERR_BAD_PATTERN', 'give at least one pattern, e.g. ?pattern=acme/%23');
	if (patterns.length > MAX_PATTERNS) httpError('HMI_ERR_BAD_PATTERN', `at most ${MAX_PATTERNS} patterns`);
	for (const p of patterns) {
		const check = checkPattern(p);
		if (!check.ok) httpError('HMI_ERR_BAD_PATTERN', `pattern ${JSON.stringify(p)}: ${check.reason}`);
	}
	return patterns;
}
