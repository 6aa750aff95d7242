/**
 * UNS path rules, shared by the server (tag store, hub, connectors) and the browser (live client), so both
 * sides match patterns the same way. A path is an MQTT topic name in the ISA-95 shape
 * `enterprise/site/area/line/machine/tag` (deeper or shallower paths are allowed: sources vary).
 * Patterns are MQTT topic filters: `+` matches one level, `#` (last) matches the rest.
 */

/** Longest path or pattern we accept, in characters. MQTT allows 65,535 bytes; no real UNS gets near this. */
export const MAX_PATH_LENGTH = 1024;

export type PathCheck = { ok: true } | { ok: false; reason: string };

/** Checks a concrete path (no wildcards, no empty levels). */
export function checkPath(path: string): PathCheck {
	if (typeof path !== 'string' || path.length === 0) return { ok: false, reason: 'empty path' };
	if (path.length > MAX_PATH_LENGTH) return { ok: false, reason: `longer than ${MAX_PATH_LENGTH} characters` };
	if (path.includes('\u0000')) return { ok: false, reason: 'contains a NUL character' };
	if (/[+#]/.test(path)) return { ok: false, reason: 'contains a wildcard (+ or #)' };
	if (path.startsWith('/') || path.endsWith('/') || path.includes('//')) return { ok: false, reason: 'has an empty level' };
	return { ok: true };
}

/** Checks a subscription pattern (MQTT topic filter rules). */
export function checkPattern(pattern: string): PathCheck {
	if (typeof pattern !== 'string' || pattern.length === 0) return { ok: false, reason: 'empty pattern' };
	if (pattern.length > MAX_PATH_LENGTH) return { ok: false, reason: `longer than ${MAX_PATH_LENGTH} characters` };
	if (pattern.includes('\u0000')) return { ok: false, reason: 'contains a NUL character' };
	const levels = pattern.split('/');
	for (let i = 0; i < levels.length; i++) {
		const level = levels[i];
		if (level.includes('#') && (level !== '#' || i !== levels.length - 1))
			return { ok: false, reason: '"#" must be a whole level and the last one' };
		if (level.includes('+') && level !== '+') return { ok: false, reason: '"+" must be a whole level' };
	}
	return { ok: true };
}

/** A pattern split once, so matching many paths does not split it again. */
export interface CompiledPattern {
	readonly source: string;
	readonly levels: readonly string[];
	readonly multi: boolean;
}

export function compilePattern(pattern: string): CompiledPattern {
	const levels = pattern.split('/');
	const multi = levels[levels.length - 1] === '#';
	return { source: pattern, levels: multi ? levels.slice(0, -1) : levels, multi };
}

/**
 * True when `path` matches the pattern. As in MQTT, `a/#` also matches `a` itself, and paths starting
 * with `_` or `$` (system and derived namespaces) are matched only by a pattern whose first level names them.
 */
export function matchesPattern(pattern: CompiledPattern, path: string): boolean {
	const { levels, multi } = pattern;
	let start = 0;
	for (let i = 0; i < levels.length; i++) {
		if (start > path.length) return false;
		let end = path.indexOf('/', start);
		if (end === -1) end = path.length;
		const want = levels[i];
		if (want === '+') {
			if (i === 0 && (path[0] === '$' || path[0] === '_')) return false;
		} else if (end - start !== want.length || !path.startsWith(want, start)) {
			return false;
		}
		start = end + 1;
	}
	if (multi) {
		if (levels.length === 0 && (path[0] === '$' || path[0] === '_')) return false;
		return true;
	}
	return start === path.length + 1;
}

/** Joins levels into a path. */
export function joinPath(...levels: string[]): string {
	return levels.join('/');
}

/** Splits a path into its levels. */
export function splitPath(path: string): string[] {
	return path.split('/');
}

/** True when any of the patterns matches `path`. */
export function matchesAny(patterns: readonly CompiledPattern[], path: string): boolean {
	for (const pattern of patterns) if (matchesPattern(pattern, path)) return true;
	return false;
}
