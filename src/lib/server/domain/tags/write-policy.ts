/**
 * Why the tag store refused a write. Stable words: they are counted per source in /healthz and logged.
 * - `undeclared`: a source wrote a path the plant model does not declare (it feeds the UNS browser only);
 * - `not-owner`: the path belongs to another source (an MQTT message on an OPC UA line's tag);
 * - `derived-namespace`: a source wrote into `_alarms`, `_kpi` or `_sys`, which only their engines write;
 * - `tag-cap`: the store is full (a flood of new paths must not grow memory without end).
 */
export type WriteRefusal = 'undeclared' | 'not-owner' | 'derived-namespace' | 'tag-cap';

/** Decides who may write a path. The tag store asks it once per path and origin, before a tag exists. */
export interface WritePolicy {
	/** Null when `origin` may write `path`, else why not. */
	check(path: string, origin: string): WriteRefusal | null;
}
