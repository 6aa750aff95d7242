/**
 * The screen theme: light (day) or dark (night shift), remembered per device in a cookie so the server can
 * render `<html data-theme>` before the first paint. Without a cookie the device's colour preference decides
 * ("system"). Pure functions plus one that touches the document, so the rules are tested without a browser.
 */

export const THEME_COOKIE = 'hmi_theme';
export const THEMES = ['light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];
/** What `<html data-theme>` carries: a chosen theme, or "system" when the device has not chosen one. */
export type ThemeSetting = Theme | 'system';

/** How long the device remembers the choice, seconds (one year). */
export const THEME_COOKIE_MAX_AGE_S = 365 * 24 * 60 * 60;

/** Narrows a cookie value (anything a client may send) to a setting; unknown values mean "system". */
export function toThemeSetting(value: unknown): ThemeSetting {
	return typeof value === 'string' && (THEMES as readonly string[]).includes(value) ? (value as Theme) : 'system';
}

/** The theme in effect: the chosen one, or the device preference for "system". */
export function effectiveTheme(setting: ThemeSetting, prefersDark: boolean): Theme {
	return setting === 'system' ? (prefersDark ? 'dark' : 'light') : setting;
}

/**
 * The `document.cookie` line that remembers `theme`. Not HttpOnly (the page sets it), SameSite=Lax,
 * Secure when the page is served over https.
 */
export function themeCookie(theme: Theme, secure: boolean): string {
	return `${THEME_COOKIE}=${theme}; Path=/; Max-Age=${THEME_COOKIE_MAX_AGE_S}; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/** Switches the page to `theme` now and remembers it for this device. */
export function applyTheme(theme: Theme, doc: Document = document): void {
	doc.documentElement.dataset.theme = theme;
	doc.cookie = themeCookie(theme, doc.location?.protocol === 'https:');
}

/** The setting the page was rendered with (read from `<html data-theme>`). */
export function renderedTheme(doc: Document = document): ThemeSetting {
	return toThemeSetting(doc.documentElement.dataset.theme);
}
