/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * Offline start for the installed app: the built app shell and the static files are precached per build;
 * pages and live data always come from the network (see cache-rules.ts). When a page cannot be loaded the
 * worker answers with the offline page, which says so at once and reloads when the network is back.
 */
import { build, files, version } from '$service-worker';
import { planFor } from '$lib/pwa/cache-rules';
import { languageOrder, OFFLINE_CSP, offlinePage } from '$lib/pwa/offline-page';

const sw = self as unknown as ServiceWorkerGlobalScope;

/** One cache per build: a new build never serves an old build's files. */
const CACHE = `hmi-shell-${version}`;
const SHELL = [...build, ...files];
const SHELL_PATHS = new Set(SHELL.map((p) => new URL(p, sw.location.origin).pathname));

sw.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(CACHE)
			.then((cache) => cache.addAll(SHELL))
			.then(() => sw.skipWaiting())
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
			.then(() => sw.clients.claim())
	);
});

function offline(url: URL): Response {
	return new Response(offlinePage(languageOrder(navigator.languages ?? [navigator.language]), url.pathname + url.search), {
		status: 503,
		headers: {
			'content-type': 'text/html; charset=utf-8',
			'cache-control': 'no-store',
			'content-security-policy': OFFLINE_CSP
		}
	});
}

async function fromShell(request: Request): Promise<Response> {
	const cached = await caches.match(request, { cacheName: CACHE });
	return cached ?? fetch(request);
}

async function navigate(request: Request): Promise<Response> {
	try {
		return await fetch(request);
	} catch {
		return offline(new URL(request.url));
	}
}

sw.addEventListener('fetch', (event) => {
	const { request } = event;
	const plan = planFor({ method: request.method, url: new URL(request.url), mode: request.mode }, sw.location.origin, SHELL_PATHS);
	if (plan === 'shell') event.respondWith(fromShell(request));
	else if (plan === 'navigate') event.respondWith(navigate(request));
	// 'network': no respondWith, the browser fetches as if there were no worker.
});
