/**
 * What the service worker may do with a request. The rule that matters: live data (API, stream, health,
 * sign-in, pages that carry plant data) never comes from a cache, so a screen can never show old values
 * as if they were current. Only the built app shell and the static files are cached.
 */

/** Paths that always go to the network, never to a cache (prefix match on whole path segments). */
export const NEVER_CACHED: readonly string[] = ['/api', '/ws', '/healthz', '/login', '/logout'];

/**
 * - `network`: the worker stays out of the way (the browser fetches as if there were no worker).
 * - `shell`: a file of the app shell, from the cache first (it is versioned: the cache is per build).
 * - `navigate`: a page: network only; when the network fails, the offline page (never a cached page).
 */
export type FetchPlan = 'network' | 'shell' | 'navigate';

export interface RequestFacts {
	method: string;
	url: URL;
	/** `Request.mode`: `navigate` for page loads. */
	mode: string;
}

/** Whether `path` is `prefix` or lies below it (`/api/tags` under `/api`, but not `/apiary`). */
function under(path: string, prefix: string): boolean {
	return path === prefix || path.startsWith(`${prefix}/`);
}

/**
 * Plans one request.
 * @param origin the worker's own origin; other origins are never touched
 * @param shell the pathnames that were precached (built assets and static files)
 */
export function planFor(req: RequestFacts, origin: string, shell: ReadonlySet<string>): FetchPlan {
	if (req.method !== 'GET' || req.url.origin !== origin) return 'network';
	// Page loads first: a failed sign-in or logout page load also gets the offline page rather than the
	// browser's own error, and nothing of the page is ever cached.
	if (req.mode === 'navigate') return 'navigate';
	if (NEVER_CACHED.some((p) => under(req.url.pathname, p))) return 'network';
	return shell.has(req.url.pathname) ? 'shell' : 'network';
}
