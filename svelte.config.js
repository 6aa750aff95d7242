import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		alias: { $locales: 'locales' },
		// SvelteKit's own Origin check for form posts is off: it runs before the hooks and trusts only ORIGIN, so
		// a second origin in ALLOWED_ORIGINS could not submit a form. The hooks check every state-changing
		// request against all allowed origins instead, form posts included (src/lib/server/auth/request-trust.ts).
		// `['*']` is how SvelteKit 2 turns its check off (`checkOrigin: false` is deprecated).
		csrf: { trustedOrigins: ['*'] },
		// Strict CSP: scripts only from this origin (SvelteKit hashes its own inline start-up script);
		// no framing by other sites (clickjacking of an HMI is a safety matter); live data only from here.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'manifest-src': ['self'],
				'worker-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
