import { describe, expect, test } from 'vitest';
import {
	deletableStamps,
	jumpsToForget,
	newestCorrected,
	PRUNE_MAX_SHARE,
	pruneCutoff,
	pruneLimit,
	STAMP_MAX,
	STAMP_MIN,
	stampPieces,
	type ClockJump,
	type StampPiece
} from './retention';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 24);
const CHECK = 5000;

/** A jump of `delta` found by a check `CHECK` ms after the reading `before`. */
const jump = (before: number, delta: number): ClockJump => ({ before, after: before + CHECK + delta, delta });
/** The correction the pieces give a stamp. */
const correctionOf = (pieces: StampPiece[], ts: number) => pieces.find((p) => p.from <= ts && ts < p.to)!.correction;
/** Whether a row stamped `ts` may go at this cutoff. */
const deletable = (ranges: [number, number][], ts: number) => ranges.some(([from, to]) => from <= ts && ts < to);

describe('retention in corrected time', () => {
	test('without jumps, stamps are what they say', () => {
		expect(stampPieces([], NOW)).toEqual([{ from: STAMP_MIN, to: STAMP_MAX, correction: 0 }]);
		expect(deletableStamps(stampPieces([], NOW), NOW - 90 * DAY)).toEqual([[STAMP_MIN, NOW - 90 * DAY]]);
	});

	test('rows stamped before a forward jump of J are J younger than they look; rows after it are as stamped', () => {
		const J = 120 * DAY;
		const pieces = stampPieces([jump(NOW, J)], NOW + J + 2 * DAY);
		expect(correctionOf(pieces, NOW - 10 * DAY)).toBe(J);
		expect(correctionOf(pieces, NOW + CHECK)).toBe(J); // stamped just before the check found the jump
		expect(correctionOf(pieces, NOW + J + 1000)).toBe(0);
		// Two days after the jump, with 90 days' retention: a row stamped 91 days before the jump is 93 days
		// old and goes; one stamped 80 days before the jump stays, although its stamp is 200 days back.
		const now = NOW + J + 2 * DAY;
		const ranges = deletableStamps(pieces, now - 90 * DAY);
		expect(deletable(ranges, NOW - 91 * DAY)).toBe(true);
		expect(deletable(ranges, NOW - 80 * DAY)).toBe(false);
		expect(deletable(ranges, NOW + J + DAY)).toBe(false);
	});

	test('rows stamped before a step back of B are B older than they look; where old and new stamps overlap, the rows count as the younger', () => {
		const B = 30 * DAY;
		const pieces = stampPieces([jump(NOW, -B)], NOW - B + DAY);
		expect(correctionOf(pieces, NOW - B - 1)).toBe(-B);
		// A day after the step, stamps in [NOW - B, NOW - B + 1 day] may have been given before it (B older) or
		// after it: taken as the younger. Later stamps were all given before it.
		expect(correctionOf(pieces, NOW - B)).toBe(0);
		expect(correctionOf(pieces, NOW - B + DAY)).toBe(0);
		expect(correctionOf(pieces, NOW - B + DAY + 1)).toBe(-B);
		expect(correctionOf(pieces, NOW)).toBe(-B);
	});

	test('a clock set wrong and set right again: rows stamped while it was wrong are corrected, the others are as stamped', () => {
		const J = 365 * DAY;
		const later = NOW + 10 * DAY;
		const pieces = stampPieces([jump(NOW, J), jump(later + J, -J)], later + 2 * DAY);
		expect(correctionOf(pieces, NOW - DAY)).toBe(0);
		expect(correctionOf(pieces, NOW + J + DAY)).toBe(-J);
		expect(correctionOf(pieces, later + DAY)).toBe(0);
		// Stamped ahead of the present clock: not given by it, and never aged by the step back either.
		expect(correctionOf(pieces, STAMP_MAX - 1)).toBe(0);
	});

	test('the newest row in present time and the cutoff', () => {
		const J = 120 * DAY;
		const pieces = stampPieces([jump(NOW, J)], NOW + J + 2 * DAY);
		// Newest before the jump at NOW - 1 h, nothing after: it is J later in present time.
		const newest = newestCorrected(pieces, (from, to) => (from <= NOW - 3600_000 && NOW - 3600_000 < to ? NOW - 3600_000 : null));
		expect(newest).toBe(NOW - 3600_000 + J);
		expect(newestCorrected(pieces, () => null)).toBeNull();
	});

	test.each([
		['the newest row is from now: retention counts back from now', NOW, NOW, NOW - 90 * DAY],
		['the newest row is two days old: counts back from it', NOW, NOW - 2 * DAY, NOW - 92 * DAY],
		['a row is stamped in the future: counts back from now', NOW, NOW + 3650 * DAY, NOW - 90 * DAY]
	])('cutoff: %s', (_case, now, newest, cutoff) => {
		expect(pruneCutoff(now, newest, 90 * DAY)).toBe(cutoff);
	});

	test('an empty table has no cutoff', () => {
		expect(pruneCutoff(NOW, null, DAY)).toBeNull();
	});

	test('a jump is forgotten once no row stamped before it (or in the gap a forward jump leaves) is left', () => {
		const jumps = [jump(NOW - 200 * DAY, 3600_000), jump(NOW - 50 * DAY, -7200_000)];
		expect(jumpsToForget(jumps, NOW - 300 * DAY)).toBe(0);
		expect(jumpsToForget(jumps, NOW - 200 * DAY + 3600_000 - 1)).toBe(0); // in the gap
		expect(jumpsToForget(jumps, NOW - 200 * DAY + 3600_000)).toBe(1);
		// After the step back the present clock stamped [NOW - 50 days - 2 h, …]: the jump stays while such stamps remain.
		expect(jumpsToForget(jumps, NOW - 50 * DAY)).toBe(1);
		expect(jumpsToForget(jumps, NOW - 50 * DAY + CHECK + 1)).toBe(2);
		expect(jumpsToForget(jumps, null)).toBe(2);
	});

	test('the gap a forward jump leaves gets the correction of the time before it', () => {
		const pieces = stampPieces([jump(NOW, DAY), jump(NOW + 10 * DAY, 2 * DAY)], NOW + 20 * DAY);
		expect(correctionOf(pieces, NOW + DAY / 2)).toBe(3 * DAY);
		expect(correctionOf(pieces, NOW + 11 * DAY)).toBe(2 * DAY);
	});

	test.each([
		[0, 0],
		[1, 1],
		[100, Math.ceil(100 * PRUNE_MAX_SHARE)],
		[1_000_000, 1_000_000 * PRUNE_MAX_SHARE]
	])('of %i rows at most %i go in one prune', (rows, limit) => {
		expect(pruneLimit(rows)).toBe(limit);
	});
});
