import { error } from '@sveltejs/kit';
import type { SessionUser } from '../auth/auth-service';
import { checkPattern } from '$lib/shared/uns-path';

/** The signed-in user, or a 401 for API callers. */
export function requireUser(locals: App.Locals): SessionUser {
	if (!locals.user) error(401, { message: 'sign in first', code: 'HMI_ERR_UNAUTHORIZED' });
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
	if (patterns.length === 0) error(400, { message: 'give at least one pattern, e.g. ?pattern=acme/%23', code: 'HMI_ERR_BAD_PATTERN' });
	if (patterns.length > MAX_PATTERNS) error(400, { message: `at most ${MAX_PATTERNS} patterns`, code: 'HMI_ERR_BAD_PATTERN' });
	for (const p of patterns) {
		const check = checkPattern(p);
		if (!check.ok) error(400, { message: `pattern ${JSON.stringify(p)}: ${check.reason}`, code: 'HMI_ERR_BAD_PATTERN' });
	}
	return patterns;
}
