import type { Clock } from '../clock';
import type { PlantModel } from '../domain/plant/schema';
import type { PruneResult } from '../domain/time/retention';
import type { Logger } from '../log';
import type { AlarmJournal } from '../store/alarm-journal';
import type { StorageGuard } from '../store/storage-guard';
import type { Historian } from './historian';

/** How often journal, history and sessions are pruned to their retention, ms (on the monotonic clock). */
export const PRUNE_EVERY_MS = 3600_000;
/**
 * After a wall-clock jump nothing is pruned for this long, ms: rows stamped by a wrong clock must not decide
 * what is old before someone has seen the clock-jump alarm.
 */
export const PRUNE_PAUSE_AFTER_CLOCK_JUMP_MS = 24 * 3600_000;

export interface RetentionDeps {
	plant: PlantModel;
	journal: AlarmJournal;
	historian: Historian;
	/** Sessions (in the auth service). */
	sessions: { pruneSessions(): PruneResult };
	guard: StorageGuard;
	/** Monotonic ms since the last clock jump, or null. */
	sinceClockJump: () => number | null;
	clock: Clock;
	log: Logger;
}

export type PruneReport = { paused: true } | { paused: false; journal: PruneResult | null; history: PruneResult | null; sessions: PruneResult | null };

/**
 * Prunes the alarm journal, the history and old sessions, hourly and once at start. Each table keeps its
 * retention counted back from its newest row, loses at most a bounded share per prune (see
 * domain/time/retention.ts), and nothing is pruned for a while after the clock jumped.
 */
export class RetentionService {
	readonly #timer: unknown;

	constructor(private readonly deps: RetentionDeps) {
		this.#timer = deps.clock.setInterval(() => this.pruneNow(), PRUNE_EVERY_MS);
		this.pruneNow();
	}

	pruneNow(): PruneReport {
		const { plant, journal, historian, sessions, guard, clock, log } = this.deps;
		const sinceJump = this.deps.sinceClockJump();
		if (sinceJump !== null && sinceJump < PRUNE_PAUSE_AFTER_CLOCK_JUMP_MS) {
			log.info({ sinceJumpMs: Math.round(sinceJump), pauseMs: PRUNE_PAUSE_AFTER_CLOCK_JUMP_MS }, 'retention: pruning waits, the clock jumped recently');
			return { paused: true };
		}
		const report: PruneReport = {
			paused: false,
			journal: journal.prune(clock.now(), plant.alarmSettings.journalRetentionDays * 86_400_000),
			history: historian.prune(plant.historian.retentionDays),
			sessions: null
		};
		guard.attempt('prune', () => (report.sessions = sessions.pruneSessions()));
		for (const [table, result] of Object.entries({ journal: report.journal, history: report.history, sessions: report.sessions })) {
			if (!result || result.removed === 0) continue;
			log.info({ table, removed: result.removed, before: result.cutoff && new Date(result.cutoff).toISOString(), limited: result.removed === result.limit }, 'retention: pruned');
		}
		return report;
	}

	stop(): void {
		this.deps.clock.clearInterval(this.#timer);
	}
}
