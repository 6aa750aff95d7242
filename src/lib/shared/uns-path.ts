/**
 * The UNS path rules, in one place, shared by the server (tag store, UNS tree, ownership, broker ACLs,
 * connectors, hub) and the browser (live client), so every part accepts, matches and reserves paths the
 * same way. A path is an MQTT topic name in the ISA-95 shape `enterprise/site/area/line/machine/tag`
 * (deeper or shallower paths are allowed: sources vary). Patterns are MQTT topic filters: `+` matches one
 * level, `#` (last) matches the rest.
 */

/** Longest path or pattern we accept, in characters. MQTT allows 65,535 bytes; no real UNS gets near this. */
export const MAX_PATH_LENGTH = 1024;
/**
 * Deepest path the UNS tree takes, in levels. MQTT allows topics of ~64 KB, i.e. tens of thousands of
 * levels, each a tree node; no real namespace needs more than a few dozen.
 */
export const MAX_PATH_LEVELS = 32;

/**
 * One level of a path the plant model declares (enterprise, site, line, machine and tag ids): lower-case
 * letters, digits, `_` and `-`, starting with a letter or digit — so a declared level can never be a
 * wildcard, a separator, or one of the `_`-namespaces below.
 */
export const PATH_SEGMENT = /^[a-z0-9][a-z0-9_-]*$/;
export const PATH_SEGMENT_RULE = 'must be lower-case letters, digits, "_" or "-" (a UNS path segment)';

/** Derived namespace of alarm records: `<machine or line path>/_alarms/<name>`, written by the alarm engine. */
export const ALARM_SEGMENT = '_alarms';
/** Derived namespace of KPIs: `<machine or line path>/_kpi/<figure>`, written by the OEE engine. */
export const KPI_SEGMENT = '_kpi';
/** First level of the HMI's own namespace (`_sys/sources/<id>/state`, `_sys/alarms/flood`). */
export const SYSTEM_ROOT = '_sys';
/** First level of commands to the plant (`cmd/<machine path>/…`): only the HMI publishes there. */
export const COMMAND_ROOT = 'cmd';
/** First level of every Sparkplug B topic. */
export const SPARKPLUG_ROOT = 'spBv1.0';
/** Sparkplug B topics start with this: they are decoded by the Sparkplug host, never shown raw. */
export const SPARKPLUG_PREFIX = `${SPARKPLUG_ROOT}/`;

/** The derived namespaces, each a level that may appear under any machine or line, or (`_sys`) at the root. */
export type DerivedNamespace = typeof ALARM_SEGMENT | typeof KPI_SEGMENT | typeof SYSTEM_ROOT;
/** The derived namespaces that sit under a machine or a line (as opposed to `_sys` at the root). */
export const DERIVED_SEGMENTS = [ALARM_SEGMENT, KPI_SEGMENT] as const;

/**
 * The derived namespace a path lies in, or null: `_sys/…` at the root, or any level `_alarms` / `_kpi`
 * (`…/line1/filler/_alarms/estop`, `…/line1/_kpi/oee`).
 */
export function derivedNamespace(path: string): DerivedNamespace | null {
	if (path === SYSTEM_ROOT || path.startsWith(`${SYSTEM_ROOT}/`)) return SYSTEM_ROOT;
	// Cheap test first: most paths have no level starting with "_".
	if (!path.includes('/_')) return null;
	for (const level of path.split('/')) if (level === ALARM_SEGMENT || level === KPI_SEGMENT) return level;
	return null;
}

/** True for the broker's own topics (`$SYS/…`): nobody but the broker publishes there. */
export function isBrokerTopic(path: string): boolean {
	return path.startsWith('$');
}

/**
 * True for a path in a namespace a wildcard at its first level does not reach: the broker's (`$…`) and the
 * HMI's own (`_…`). As in MQTT, only a pattern whose first level names them matches them.
 */
export function isHiddenRoot(path: string): boolean {
	return path[0] === '$' || path[0] === '_';
}

/** How many levels a path has (`a/b/c` → 3), without splitting it. */
export function levelCount(path: string): number {
	let n = 1;
	for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) n++;
	return n;
}

export type PathCheck = { ok: true } | { ok: false; reason: string };

/** Checks a concrete path (no wildcards, no empty levels, not too long). */
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
 * True when `path` matches the pattern. As in MQTT, `a/#` also matches `a` itself, and paths in a hidden
 * root (`_…`, `$…`; see isHiddenRoot) are matched only by a pattern whose first level names them.
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
			if (i === 0 && isHiddenRoot(path)) return false;
		} else if (end - start !== want.length || !path.startsWith(want, start)) {
			return false;
		}
		start = end + 1;
	}
	if (multi) {
		if (levels.length === 0 && isHiddenRoot(path)) return false;
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

/** True for a path the UNS tree may take: a valid path (checkPath) no deeper than MAX_PATH_LEVELS. */
export function fitsTree(path: string): boolean {
	return checkPath(path).ok && levelCount(path) <= MAX_PATH_LEVELS;
}
