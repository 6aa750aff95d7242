import { describe, expect, test } from 'vitest';
import en from '$locales/en.json';
import nl from '$locales/nl.json';
import { Locale } from '$lib/i18n.svelte';
import { errorPageTexts } from './error-page';

const has = (keys: string[]) => (key: string) => keys.includes(key);

describe('errorPageTexts', () => {
	test.each([
		// SvelteKit's own 404 (no route): no code, a technical message that must not be shown.
		[404, { message: 'Not Found' }, [], { title: 'errorPage.notFound.title', text: 'errorPage.notFound.text' }],
		// A code with a text of its own: the shared error text explains.
		[503, { message: 'database locked', code: 'HMI_ERR_STORAGE' }, ['errors.HMI_ERR_STORAGE'], { title: 'errorPage.other.title', text: 'errors.HMI_ERR_STORAGE' }],
		[404, { message: 'no node x', code: 'HMI_ERR_UNKNOWN_PATH' }, ['errors.HMI_ERR_UNKNOWN_PATH'], { title: 'errorPage.notFound.title', text: 'errors.HMI_ERR_UNKNOWN_PATH' }],
		// A guard's 403: its code's text ("Not allowed.") only repeats the title, so the page explains instead.
		[403, { message: 'the manager role may not do users.admin', code: 'HMI_ERR_FORBIDDEN' }, ['errors.HMI_ERR_FORBIDDEN'], { title: 'errorPage.forbidden.title', text: 'errorPage.forbidden.text' }],
		// A load that names its own text as an i18n key.
		[404, { message: 'detail.notFound' }, ['detail.notFound'], { title: 'errorPage.notFound.title', text: 'detail.notFound' }],
		// A key-like message that is not a text falls back to the status.
		[404, { message: 'detail.nothing' }, ['detail.notFound'], { title: 'errorPage.notFound.title', text: 'errorPage.notFound.text' }],
		[401, { message: 'sign in first', code: 'HMI_ERR_UNAUTHORIZED' }, [], { title: 'errorPage.unauthorized.title', text: 'errorPage.unauthorized.text' }],
		[500, { message: 'Internal Error' }, [], { title: 'errorPage.other.title', text: 'errorPage.other.text' }],
		[503, null, [], { title: 'errorPage.other.title', text: 'errorPage.other.text' }]
	] as const)('%s %j', (status, error, keys, texts) => {
		expect(errorPageTexts(status, error, has([...keys]))).toEqual(texts);
	});

	test.each(['en', 'nl'] as const)('every key it can give exists in %s, and the Dutch differs from the English', (lang) => {
		const locale = new Locale(lang);
		for (const status of [401, 403, 404, 500]) {
			const { title, text } = errorPageTexts(status, null, (k) => locale.has(k));
			expect(locale.has(title), title).toBe(true);
			expect(locale.has(text), text).toBe(true);
		}
		expect(locale.has('errorPage.back')).toBe(true);
		expect(nl.errorPage.notFound.title).not.toBe(en.errorPage.notFound.title);
	});
});
