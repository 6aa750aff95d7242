import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

const BROWSER = ['src/**/*.svelte', 'src/**/*.svelte.ts', 'src/lib/client/**', 'static/**/*.js'];

/**
 * `npm run lint` (and the last step of `npm run check`): the recommended rules of ESLint, typescript-eslint and
 * eslint-plugin-svelte. Type errors are svelte-check's and tsc's job; this catches what the compilers let through.
 */
export default defineConfig(
	{
		ignores: ['build/', '.svelte-kit/', 'node_modules/', 'data/', 'bench/results*', 'test-results/', 'playwright-report/']
	},
	js.configs.recommended,
	ts.configs.recommended,
	svelte.configs.recommended,
	// What runs in the browser: components and pages, the client modules and the static offline script.
	{ files: BROWSER, languageOptions: { globals: globals.browser } },
	{ files: ['src/service-worker.ts'], languageOptions: { globals: globals.serviceworker } },
	// Everything else (server, simulator, scripts, benchmarks, tests, config files) runs in Node.
	{ ignores: [...BROWSER, 'src/service-worker.ts'], languageOptions: { globals: globals.node } },
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig } }
	},
	{
		// A suppression that no longer suppresses anything is itself a mistake.
		linterOptions: { reportUnusedDisableDirectives: 'error' },
		rules: {
			// A leading underscore names what a signature needs but the body does not use; `{ a: _a, ...rest }` drops a key.
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
			// The app is served from the root (no `kit.paths.base`), so its links and goto() calls need no resolve().
			'svelte/no-navigation-without-resolve': 'off',
			// Plain Map/Set here are deliberate: indexes and caches beside `$state` fields (a SvelteMap would re-run readers on every delta) and temporaries in functions.
			'svelte/prefer-svelte-reactivity': 'off'
		}
	}
);
