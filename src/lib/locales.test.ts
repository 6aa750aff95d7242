import { readdirSync } from 'node:fs';
import { expect, test } from 'vitest';
import { LANGS } from '$lib/shared/languages';
import { APP_TEXTS, LOCALE_FILES } from './locales';

test('every locale file on disk is imported, and every language the HMI speaks has one', () => {
	const onDisk = readdirSync('locales')
		.filter((f) => f.endsWith('.json'))
		.map((f) => f.slice(0, -'.json'.length))
		.sort();
	expect(Object.keys(LOCALE_FILES).sort()).toEqual(onDisk);
	expect(Object.keys(APP_TEXTS).sort()).toEqual([...LANGS].sort());
});
