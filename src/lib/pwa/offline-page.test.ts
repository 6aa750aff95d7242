import { describe, expect, test } from 'vitest';
import en from '$locales/en.json';
import nl from '$locales/nl.json';
import { languageOrder, offlinePage, OFFLINE_RETRY_SCRIPT } from './offline-page';

describe('languageOrder', () => {
	test.each([
		[['nl-NL', 'en-GB'], ['nl', 'en']],
		[['nl'], ['nl', 'en']],
		[['de-DE', 'nl-BE', 'en'], ['nl', 'en']],
		[['en-US', 'nl'], ['en', 'nl']],
		[['fr-FR'], ['en', 'nl']],
		[[], ['en', 'nl']]
	])('%j → %j', (preferred, order) => {
		expect(languageOrder(preferred)).toEqual(order);
	});
});

describe('offlinePage', () => {
	test('says offline in the device language first, the other language below, from the locales', () => {
		const html = offlinePage(['nl', 'en'], '/operator');
		expect(html).toContain('<html lang="nl"');
		const nlAt = html.indexOf(nl.offline.message);
		const enAt = html.indexOf(en.offline.message);
		expect(nlAt).toBeGreaterThan(0);
		expect(enAt).toBeGreaterThan(nlAt);
		expect(html).toContain(`<section class="other" lang="en">`);
		expect(html).toContain(`<a class="retry" href="/operator">${nl.offline.retry}</a>`);
	});

	test('reloads through a script of this origin (no inline script under the CSP)', () => {
		const html = offlinePage(['en', 'nl'], '/kpi');
		expect(html).toContain(`<script src="${OFFLINE_RETRY_SCRIPT}" defer></script>`);
		expect(html.match(/<script/g)).toHaveLength(1);
	});

	test('escapes the retry address', () => {
		const html = offlinePage(['en', 'nl'], '/trends?x="><script>alert(1)</script>');
		expect(html).not.toContain('"><script>alert');
		expect(html).toContain('/trends?x=&quot;&gt;&lt;script&gt;');
	});
});
