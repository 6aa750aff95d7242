/**
 * The page the service worker answers with when a page cannot be loaded because the device is offline.
 * It says so at once, in the device's language first and the other language below it (the worker cannot
 * know the signed-in user's choice), with texts from the app's locales. A small static script reloads the
 * page as soon as the network is back; the CSP allows no inline script.
 */
import { APP_TEXTS } from '$lib/locales';
import { DEFAULT_LANG, LANGS, type Lang } from '$lib/shared/languages';


/** The static script that reloads when the network is back (in static/, precached with the shell). */
export const OFFLINE_RETRY_SCRIPT = '/offline-retry.js';

/** The CSP of the offline page: nothing but this origin's script, inline styles for its own look. */
export const OFFLINE_CSP =
	"default-src 'self'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The supported languages in the order of the device's preferences (`navigator.languages`). */
export function languageOrder(preferred: readonly string[]): Lang[] {
	const first = preferred.map((p) => p.toLowerCase().split('-')[0]).find((p): p is Lang => (LANGS as readonly string[]).includes(p));
	const lead = first ?? DEFAULT_LANG;
	return [lead, ...LANGS.filter((l) => l !== lead)];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/**
 * The offline page's HTML.
 * @param langs languages in display order (see `languageOrder`)
 * @param retryHref where "try again" goes: the page that could not be loaded (same origin)
 */
export function offlinePage(langs: readonly Lang[], retryHref: string): string {
	const [main, ...others] = langs;
	const t = APP_TEXTS[main].offline;
	const block = (lang: Lang, cls: string) => {
		const x = APP_TEXTS[lang].offline;
		return `<section class="${cls}" lang="${lang}"><h1>${escape(x.title)}</h1><p>${escape(x.message)}</p><p class="muted">${escape(x.retrying)}</p><a class="retry" href="${escape(retryHref)}">${escape(x.retry)}</a></section>`;
	};
	return `<!doctype html>
<html lang="${main}" data-offline="true">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escape(t.title)} · ${escape(APP_TEXTS[main].app.name)}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>
:root{color-scheme:light;--bg:light-dark(#d3d4d5,#1d2024);--surface:light-dark(#e6e7e8,#2a2e33);--text:light-dark(#17191c,#e3e5e8);--muted:light-dark(#44484d,#b0b5bb);--border:light-dark(#6d7176,#7d848b);--focus:light-dark(#0b57d0,#8ab4f8)}
:root[data-theme=dark]{color-scheme:dark}:root[data-theme=system]{color-scheme:light dark}
body{margin:0;min-height:100vh;background:var(--bg);color:var(--text);font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif;line-height:1.4}
main{max-width:34rem;margin:0 auto;padding:1rem}
.status{display:flex;align-items:center;gap:.5rem;margin:0 0 1rem;padding:.5rem .75rem;border-radius:6px;background:#c1121f;color:#fff;font-weight:700;font-size:1.2rem}
.status svg{width:1.25rem;height:1.25rem;stroke:#fff;stroke-width:2.5;fill:none}
section{padding:1rem;background:var(--surface);border:1px solid var(--border);border-radius:6px}
section+section{margin-top:1rem}
.other{font-size:.95rem}
h1{margin:0 0 .5rem;font-size:1.4rem}.other h1{font-size:1.1rem}
.muted{color:var(--muted)}
.retry{display:inline-flex;align-items:center;min-height:44px;padding:0 1rem;border:1px solid var(--border);border-radius:6px;color:inherit;font-weight:600;text-decoration:none}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
</style>
<script src="${OFFLINE_RETRY_SCRIPT}" defer></script>
</head>
<body>
<main>
<p class="status" role="alert" data-testid="offline"><svg viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path d="M3 3 L13 13 M13 3 L3 13"/></svg>${escape(t.title)}</p>
${block(main, 'main')}
${others.map((l) => block(l, 'other')).join('\n')}
</main>
</body>
</html>
`;
}
