/**
 * MQTT-style topic filters on UNS paths, as the server applies them: `+` matches one level, `#` (last only)
 * matches the rest including the parent level itself (`a/#` matches `a`).
 */
export function topicMatches(pattern: string, path: string): boolean {
	const p = pattern.split('/');
	const t = path.split('/');
	for (let i = 0; i < p.length; i++) {
		if (p[i] === '#') return i === p.length - 1;
		if (i >= t.length) return false;
		if (p[i] !== '+' && p[i] !== t[i]) return false;
	}
	return p.length === t.length;
}

/** Whether any of `patterns` matches `path`. */
export function anyMatches(patterns: readonly string[], path: string): boolean {
	return patterns.some((p) => topicMatches(p, path));
}
