/** When a tag is worth publishing again: on a real change, while it keeps changing, and as a heartbeat. */
import type { TagDef } from './model/plant.js';

export interface PublishLimits {
	/** Analog deadband as a fraction of the tag's range. */
	deadbandFraction: number;
	/** A value that changed by less than the deadband still goes out after this long, wall ms. */
	maxQuietWhileChangingMs: number;
	/** Every tag goes out at least this often, wall ms, so consumers can tell live data from stale. */
	heartbeatMs: number;
}

export const PUBLISH_LIMITS: PublishLimits = {
	deadbandFraction: 0.001,
	maxQuietWhileChangingMs: 1000,
	heartbeatMs: 5000
};

export interface LastPublished {
	value: number | string;
	/** Wall time of the publication, ms. */
	wallMs: number;
}

/** Deadband of a tag: a fraction of its range for analog values, 0 (every change) otherwise. */
export function deadbandOf(def: TagDef, limits: PublishLimits = PUBLISH_LIMITS): number {
	if ((def.kind !== 'process' && def.kind !== 'speed') || !def.range) return 0;
	return (def.range[1] - def.range[0]) * limits.deadbandFraction;
}

/**
 * Whether to publish `value` now.
 * @param nowWallMs wall time, ms
 * @param deadband smallest analog change published at once (0: every change)
 */
export function shouldPublish(
	last: LastPublished | undefined,
	value: number | string,
	nowWallMs: number,
	deadband: number,
	limits: PublishLimits = PUBLISH_LIMITS
): boolean {
	if (!last) return true;
	const quietMs = nowWallMs - last.wallMs;
	if (quietMs >= limits.heartbeatMs) return true;
	if (value === last.value) return false;
	if (typeof value === 'number' && typeof last.value === 'number' && deadband > 0) {
		return Math.abs(value - last.value) >= deadband || quietMs >= limits.maxQuietWhileChangingMs;
	}
	return true;
}
