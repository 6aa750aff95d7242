import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { APP_TEXTS } from '$lib/locales';
import { ERROR_CODES, ERROR_STATUS, errorStatus, isErrorCode } from './errors';

/** `errors.*` keys that are not codes: the text for an answer nobody could explain. */
const NOT_CODES = ['unknown'];

// Every language the HMI speaks (shared/languages.ts), not a list of its own.
const LOCALES = APP_TEXTS as Record<string, { errors: Record<string, unknown> }>;

describe.each(Object.keys(LOCALES))('locales/%s.json', (lang) => {
	const errors = LOCALES[lang].errors;

	test('has a text for every code', () => {
		const missing = ERROR_CODES.filter((code) => typeof errors[code] !== 'string' || !(errors[code] as string).trim());
		expect(missing).toEqual([]);
	});

	test('has no text for a code that does not exist', () => {
		const stray = Object.keys(errors).filter((key) => !isErrorCode(key) && !NOT_CODES.includes(key));
		expect(stray).toEqual([]);
	});
});

test('every HTTP status is an error status', () => {
	for (const [code, status] of Object.entries(ERROR_STATUS)) {
		if (status === null) continue;
		expect(status >= 400 && status <= 599, code).toBe(true);
	}
	expect(errorStatus('HMI_ERR_SETPOINT_OUTCOME_UNKNOWN')).toBe(504);
});

const SRC = join(import.meta.dirname, '..', '..');
const THIS_MODULE = join(import.meta.dirname, 'errors.ts');

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(path);
		return /\.(ts|js|svelte)$/.test(entry.name) && path !== THIS_MODULE ? [path] : [];
	});
}

test('no file under src/ uses a code that is not in the list', () => {
	const invented: string[] = [];
	const files = sourceFiles(SRC);
	expect(files.length).toBeGreaterThan(50);
	for (const file of files) {
		for (const [code] of readFileSync(file, 'utf8').matchAll(/HMI_ERR_[A-Z0-9_]*[A-Z0-9]/g)) {
			if (!isErrorCode(code)) invented.push(`${relative(SRC, file)}: ${code}`);
		}
	}
	expect(invented).toEqual([]);
});
