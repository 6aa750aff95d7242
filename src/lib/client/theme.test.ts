import { describe, expect, test } from 'vitest';
import { effectiveTheme, themeCookie, toThemeSetting } from './theme';

describe('toThemeSetting', () => {
	test.each([
		['light', 'light'],
		['dark', 'dark'],
		[undefined, 'system'],
		['', 'system'],
		['Dark', 'system'],
		['dark; Path=/', 'system'],
		['<script>', 'system'],
		[42, 'system']
	])('%j → %s', (value, expected) => {
		expect(toThemeSetting(value)).toBe(expected);
	});
});

describe('effectiveTheme', () => {
	test.each([
		['light', true, 'light'],
		['light', false, 'light'],
		['dark', false, 'dark'],
		['system', true, 'dark'],
		['system', false, 'light']
	] as const)('%s with prefers-dark=%s → %s', (setting, prefersDark, expected) => {
		expect(effectiveTheme(setting, prefersDark)).toBe(expected);
	});
});

describe('themeCookie', () => {
	test('one year, whole site, SameSite=Lax; Secure only over https', () => {
		expect(themeCookie('dark', false)).toBe('hmi_theme=dark; Path=/; Max-Age=31536000; SameSite=Lax');
		expect(themeCookie('light', true)).toBe('hmi_theme=light; Path=/; Max-Age=31536000; SameSite=Lax; Secure');
	});
});
