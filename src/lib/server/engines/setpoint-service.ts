import { Quality } from '$lib/shared/protocol';
import { errorStatus } from '$lib/shared/errors';
import { checkSetpointValue, snapSetpointValue } from '$lib/shared/setpoint-rules';
import type { Clock } from '../clock';
import type { SourceStatus } from '../connectors/source-status';
import type { PlantModel, SetpointConfig } from '../domain/plant/schema';
import { linePath, sourceIdOf } from '../domain/plant/view';
import type { TagStore } from '../domain/tags/tag-store';
import type { Logger } from '../log';
import type { AuditEntry, AuditLog } from '../store/audit-log';

/** Stable codes of refused setpoint writes; the browser translates them as `errors.<code>`. */
export type SetpointErrorCode =
	| 'HMI_ERR_STORAGE'
	| 'HMI_ERR_SETPOINT_UNKNOWN'
	| 'HMI_ERR_SETPOINT_NOT_A_NUMBER'
	| 'HMI_ERR_SETPOINT_OUT_OF_RANGE'
	| 'HMI_ERR_SETPOINT_OFF_STEP'
	| 'HMI_ERR_SETPOINT_SOURCE_DOWN'
	| 'HMI_ERR_SETPOINT_STALE'
	| 'HMI_ERR_SETPOINT_CHANGED'
	| 'HMI_ERR_SETPOINT_WRITE_FAILED'
	| 'HMI_ERR_SETPOINT_OUTCOME_UNKNOWN'
	| 'HMI_ERR_SETPOINT_TYPE_RANGE'
	| 'HMI_ERR_SETPOINT_BUSY';

/** A writable setpoint with where its writes go. */
export interface SetpointTarget {
	/** UNS path of the setpoint tag; also its identity in the API. */
	path: string;
	lineId: string;
	machineId: string;
	sourceId: string;
	source: 'opcua' | 'mqtt';
	/** MQTT lines: `cmd/<machine path>/setpoint/<tag>`. */
	commandTopic: string;
	setpoint: SetpointConfig;
}

/**
 * How far a write that went through got: `written` — the device confirmed it (OPC UA); `sent` — a broker took
 * the command (MQTT QoS 1), the device reports the value in force on the setpoint's tag.
 */
export type SetpointDelivery = 'written' | 'sent';

/**
 * Sends a value to the source. Rejects with a SetpointWriteError that says whether the outcome is known;
 * anything else it throws counts as unknown (it may have gone out).
 */
export type SetpointWriter = (target: SetpointTarget, value: number) => Promise<SetpointDelivery>;

/** What the source's node held when it was read back after a write with an unknown outcome. */
export interface SetpointReadBack {
	value: unknown;
	/** When it was read, epoch ms. */
	ts: number;
}

/**
 * A write that did not go through. `failed`: nothing changed — refused before it was sent, or the source said no.
 * `unknown`: it was sent and no answer came in time (or the connection broke): the device may have applied it.
 */
export class SetpointWriteError extends Error {
	override name = 'SetpointWriteError';
	constructor(
		readonly outcome: 'failed' | 'unknown',
		message: string,
		readonly options: {
			/** A more precise code than the outcome's (e.g. the value does not fit the node's data type). */
			code?: 'HMI_ERR_SETPOINT_TYPE_RANGE';
			/** Unknown outcomes: resolves with what the source holds once it could be read again (undefined: it could not). */
			readBack?: Promise<SetpointReadBack | undefined>;
		} = {}
	) {
		super(message);
	}
}

export type SetpointWriteResult =
	| { ok: true; entry: AuditEntry }
	/** `status`: the code's own (src/lib/shared/errors.ts). */
	| { ok: false; status: number; code: SetpointErrorCode; message: string };

export const SETPOINT_AUDIT_ACTION = 'setpoint.write';

/**
 * `detail.result` of a setpoint's audit entry: `pending` from just before the value is sent until its outcome
 * is known; then `written`/`sent` (see SetpointDelivery), `failed` (nothing changed, `detail.reason` says why) or
 * `unknown` (no answer in time, or the HMI stopped mid-write: check the value on the machine).
 */
export type SetpointAuditResult = 'pending' | SetpointDelivery | 'failed' | 'unknown';

/**
 * How long a written value stands in for the tag's value when the source has not reported since, ms.
 * Sources report a change after a sampling or publish interval; past this the tag's own value counts again.
 */
export const WRITTEN_VALUE_HOLD_MS = 10_000;

/** A value we wrote, and the tag's update count when the write was confirmed. */
interface WrittenValue {
	value: number;
	at: number;
	tagUpdates: number;
}

/** Every setpoint the plant model declares, by the path of its tag. */
export function setpointTargets(plant: PlantModel): Map<string, SetpointTarget> {
	const targets = new Map<string, SetpointTarget>();
	for (const line of plant.lines) {
		for (const machine of line.machines) {
			for (const setpoint of machine.setpoints ?? []) {
				const tagId = setpoint.path.slice(setpoint.path.lastIndexOf('/') + 1);
				targets.set(setpoint.path, {
					path: setpoint.path,
					lineId: line.id,
					machineId: machine.id,
					sourceId: sourceIdOf(line),
					source: line.source.kind,
					commandTopic: `cmd/${linePath(plant, line)}/${machine.id}/setpoint/${tagId}`,
					setpoint
				});
			}
		}
	}
	return targets;
}

export interface SetpointServiceDeps {
	plant: PlantModel;
	store: TagStore;
	sources: SourceStatus;
	audit: AuditLog;
	clock: Clock;
	log: Logger;
	write: SetpointWriter;
}

/**
 * Operator writes to setpoints: checked against the plant model's limits and the live state of the
 * tag and its source, sent through the line's connector, and audited with the old and new value.
 */
export class SetpointService {
	readonly #targets: Map<string, SetpointTarget>;
	/** Paths with a write on its way: one at a time per setpoint, or "expected" means nothing. */
	readonly #inFlight = new Set<string>();
	readonly #written = new Map<string, WrittenValue>();

	constructor(private readonly deps: SetpointServiceDeps) {
		this.#targets = setpointTargets(deps.plant);
		this.#settleAbandoned();
	}

	/**
	 * Writes a process stopped in the middle of (killed, power lost) are still `pending` in the audit: the value
	 * may or may not have reached the machine, so their outcome is unknown. (One engine per database.)
	 */
	#settleAbandoned(): void {
		const { audit, clock, log } = this.deps;
		for (const entry of audit.pending(SETPOINT_AUDIT_ACTION)) {
			audit.settle(entry.id, { result: 'unknown' satisfies SetpointAuditResult, reason: 'the HMI stopped before the outcome was known', settledTs: clock.now() });
			log.warn({ auditId: entry.id, user: entry.user, path: entry.target, newValue: entry.newValue }, 'setpoint write interrupted by a stop: outcome unknown, check the value on the machine');
		}
	}

	target(path: string): SetpointTarget | undefined {
		return this.#targets.get(path);
	}

	/**
	 * Writes `value` to the setpoint at `path` for `user`.
	 * @param expected the value the user saw; when given and the tag now holds another, nothing is written (409)
	 */
	async write(user: string, path: unknown, value: unknown, expected?: unknown): Promise<SetpointWriteResult> {
		const { store, sources, audit, clock, log } = this.deps;
		const target = typeof path === 'string' ? this.#targets.get(path) : undefined;
		if (!target) return refuse('HMI_ERR_SETPOINT_UNKNOWN', `no writable setpoint at ${String(path)}`);
		const problem = checkSetpointValue(target.setpoint, value);
		if (problem) {
			const { min, max, step } = target.setpoint;
			return refuse(problem, `value must be a number within ${min}…${max}${step ? ` in steps of ${step}` : ''}`);
		}
		// On the grid exactly: a value within float noise of it goes out as the grid value, not unrounded.
		const newValue = snapSetpointValue(target.setpoint, value as number);
		if (sources.get(target.sourceId)?.state !== 'connected')
			return refuse('HMI_ERR_SETPOINT_SOURCE_DOWN', `${target.sourceId} is not connected; nothing was written`);
		const tag = store.get(target.path);
		if (!tag || tag.quality !== Quality.Good || tag.value === null)
			return refuse('HMI_ERR_SETPOINT_STALE', `${target.path} has no fresh value; nothing was written`);
		if (this.#inFlight.has(target.path))
			return refuse('HMI_ERR_SETPOINT_BUSY', `another write to ${target.path} is on its way; nothing was written`);
		const current = this.#currentValue(target.path, tag.value, tag.updates);
		if (expected !== undefined && expected !== current)
			return refuse('HMI_ERR_SETPOINT_CHANGED', `${target.path} is now ${JSON.stringify(current)}, not ${JSON.stringify(expected)}; nothing was written`);

		const detail = { line: target.lineId, machine: target.machineId, setpoint: target.setpoint.id, source: target.sourceId };
		this.#inFlight.add(target.path);
		try {
			// On disk before anything goes to the source: a write is never made without its audit row, even when
			// the process dies mid-way (the row then stays pending and becomes unknown at the next start).
			const attempt = { user, action: SETPOINT_AUDIT_ACTION, target: target.path, oldValue: current, newValue, ts: clock.now() };
			const id = audit.recordAttempt({ ...attempt, detail: { ...detail, result: 'pending' satisfies SetpointAuditResult } });
			if (id === null) return refuse('HMI_ERR_STORAGE', 'the attempt could not be put on record (the database refuses writes); nothing was sent');
			let delivery: SetpointDelivery;
			try {
				delivery = await this.deps.write(target, newValue);
			} catch (err) {
				return this.#notWritten(id, target, user, err);
			}
			this.#written.set(target.path, { value: newValue, at: clock.now(), tagUpdates: store.get(target.path)?.updates ?? 0 });
			const outcome = { result: delivery satisfies SetpointAuditResult, settledTs: clock.now() };
			this.#settle(id, outcome);
			log.info({ user, path: target.path, oldValue: current, newValue, result: delivery }, 'setpoint written');
			return { ok: true, entry: { id, ...attempt, detail: { ...detail, ...outcome } } };
		} finally {
			this.#inFlight.delete(target.path);
		}
	}

	/** Audits and answers a write that did not go through: failed (nothing changed) or unknown (check the machine). */
	#notWritten(id: number, target: SetpointTarget, user: string, err: unknown): SetpointWriteResult {
		const { clock, log } = this.deps;
		const reason = (err as Error).message;
		// Only a writer that knows nothing went through may say failed; anything else may have reached the machine.
		const known = err instanceof SetpointWriteError ? err : new SetpointWriteError('unknown', reason);
		this.#settle(id, { result: known.outcome satisfies SetpointAuditResult, reason, settledTs: clock.now() });
		if (known.outcome === 'failed') {
			log.warn({ user, path: target.path, reason }, 'setpoint write failed');
			if (known.options.code) return refuse(known.options.code, reason);
			return refuse('HMI_ERR_SETPOINT_WRITE_FAILED', `the source did not take the value: ${reason}`);
		}
		log.warn({ user, path: target.path, reason }, 'setpoint write outcome unknown: check the value on the machine');
		known.options.readBack?.then(
			(readBack) => {
				// What the node holds once the source could be read again: the auditor's best evidence.
				const note = readBack ? { readBack: readBack.value, readBackTs: readBack.ts } : { readBack: null, readBackTs: clock.now() };
				this.#settle(id, note);
				log.warn({ path: target.path, auditId: id, ...note }, 'setpoint read back after a write with an unknown outcome');
			},
			() => {}
		);
		return refuse('HMI_ERR_SETPOINT_OUTCOME_UNKNOWN', `no answer from the source in time: the value may or may not have been applied (${reason}); check it on the machine`);
	}

	/**
	 * Records an outcome (the storage guard keeps it while the database refuses writes; should the process
	 * stop first, the row stays pending and the next start makes it unknown).
	 */
	#settle(id: number, detail: Record<string, unknown>): void {
		this.deps.audit.settle(id, detail);
	}

	/**
	 * The setpoint's value as far as we know: what we last wrote while the source has not reported since
	 * (for at most WRITTEN_VALUE_HOLD_MS), else the tag's value.
	 */
	#currentValue(path: string, tagValue: unknown, tagUpdates: number): unknown {
		const written = this.#written.get(path);
		if (!written) return tagValue;
		if (tagUpdates !== written.tagUpdates || this.deps.clock.now() - written.at >= WRITTEN_VALUE_HOLD_MS) {
			this.#written.delete(path);
			return tagValue;
		}
		return written.value;
	}
}

function refuse(code: SetpointErrorCode, message: string): SetpointWriteResult {
	return { ok: false, status: errorStatus(code), code, message };
}
