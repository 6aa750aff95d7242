import type { Clock } from '../clock';
import type { PlantModel } from '../domain/plant/schema';
import { CLOCK_JUMPS_MAX, jumpsToForget, type ClockJump, type PresentTime, type PruneResult } from '../domain/time/retention';
import type { Logger } from '../log';
import type { AlarmJournal } from '../store/alarm-journal';
import type { StorageGuard } from '../store/storage-guard';
import type { ClockWatch } from './clock-watch';
import type { Historian } from './historian';

/** How often journal, history and sessions are pruned to their retention, ms (on the monotonic clock). */
export const PRUNE_EVERY_MS = 3600_000;

const DAY_MS = 86_400_000;

export interface RetentionDeps {
	plant: PlantModel;
	journal: Pick<AlarmJournal, 'prune' | 'oldestStamp'>;
	history: Pick<Historian, 'prune' | 'oldestStamp'>;
	/** Sessions (in the auth service). */
	sessions: { pruneSessions(): PruneResult };
	/** The clock's jumps, by which ages are corrected. */
	clockWatch: Pick<ClockWatch, 'check' | 'jumps' | 'forgetOldest'>;
	/** How far ahead of the clock a source may stamp, ms (SOURCE_MAX_FUTURE_S): such stamps are the present's. */
	aheadMs: number;
	guard: StorageGuard;
	clock: Clock;
	log: Logger;
}

export type PruneReport =
	| { skipped: 'jumps-unreadable' | 'too-many-jumps' }
	| { skipped: null; journal: PruneResult | null; history: PruneResult | null; sessions: PruneResult | null };

/**
 * Prunes the alarm journal, the history and old sessions, hourly and once at start. The journal and the
 * history count ages in corrected time — every clock jump found, also before a restart, is taken out (see
 * domain/time/retention.ts) — never delete a row newer than their newest row minus the retention, and lose
 * at most a bounded share per prune. Nothing is pruned while the remembered jumps cannot be read; a jump is
 * forgotten once no row stamped before it is left.
 */
export class RetentionService {
	readonly #timer: unknown;

	constructor(private readonly deps: RetentionDeps) {
		this.#timer = deps.clock.setInterval(() => this.pruneNow(), PRUNE_EVERY_MS);
		this.pruneNow();
	}

	pruneNow(): PruneReport {
		const { plant, journal, history, sessions, clockWatch, guard, clock, log } = this.deps;
		// A jump since the last check is found before anything is aged by the clock.
		clockWatch.check();
		const journalDays = plant.alarmSettings.journalRetentionDays;
		const historyDays = plant.historian.retentionDays;
		const jumps = clockWatch.jumps();
		if (!jumps) {
			log.warn('retention: nothing pruned, the clock jumps remembered in the database cannot be read (ages could not be corrected)');
			return { skipped: 'jumps-unreadable' };
		}
		if (jumps.length > CLOCK_JUMPS_MAX) {
			log.warn({ jumps: jumps.length, max: CLOCK_JUMPS_MAX }, 'retention: nothing pruned, the clock has jumped too often within the retention to trust its time stamps');
			return { skipped: 'too-many-jumps' };
		}
		const time: PresentTime = { now: clock.now(), jumps, aheadMs: this.deps.aheadMs };
		const report: PruneReport = {
			skipped: null,
			journal: journal.prune(time, journalDays * DAY_MS),
			history: history.prune(historyDays, time),
			sessions: null
		};
		guard.attempt('prune', () => (report.sessions = sessions.pruneSessions()));
		this.#forgetJumps(jumps);
		for (const [table, result] of Object.entries({ journal: report.journal, history: report.history, sessions: report.sessions })) {
			if (!result || result.removed === 0) continue;
			log.info(
				{ table, removed: result.removed, before: result.cutoff && new Date(result.cutoff).toISOString(), limited: result.removed === result.limit, clockJumps: jumps.length },
				'retention: pruned'
			);
		}
		return report;
	}

	/** Forgets the oldest jumps once no row stamped before them is left (then they correct nothing). */
	#forgetJumps(jumps: readonly ClockJump[]): void {
		if (jumps.length === 0) return;
		const { journal, history, guard } = this.deps;
		const oldest = guard.read(
			'oldest time stamps',
			() => {
				const stamps = [journal.oldestStamp(), history.oldestStamp()].filter((t) => t !== null);
				return stamps.length > 0 ? Math.min(...stamps) : null;
			},
			undefined
		);
		if (oldest !== undefined) this.deps.clockWatch.forgetOldest(jumpsToForget(jumps, oldest));
	}

	stop(): void {
		this.deps.clock.clearInterval(this.#timer);
	}
}
