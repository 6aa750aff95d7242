/** What happened between two readings of a production counter. */
export type CounterChange = 'count' | 'reset' | 'wrap' | 'jump';

/** PLC counters are 32-bit unsigned: they wrap to 0 after this. */
export const COUNTER_MODULUS = 2 ** 32;

/**
 * How many units a counter moved between two readings, never negative or absurd:
 * - normal: `current − previous`;
 * - it went backwards near the top of its range: it wrapped — count across the wrap;
 * - it went backwards otherwise: the PLC restarted its counter — count from 0 to `current`;
 * - it jumped forward more than `maxPlausible`: a counter was set or replaced — count nothing.
 * @param maxPlausible most units the machine can make between the two readings
 */
export function counterDelta(previous: number, current: number, maxPlausible: number): { delta: number; change: CounterChange } {
	if (current >= previous) {
		const delta = current - previous;
		return delta <= maxPlausible ? { delta, change: 'count' } : { delta: 0, change: 'jump' };
	}
	const acrossWrap = current + COUNTER_MODULUS - previous;
	if (acrossWrap <= maxPlausible) return { delta: acrossWrap, change: 'wrap' };
	return current <= maxPlausible ? { delta: current, change: 'reset' } : { delta: 0, change: 'jump' };
}
