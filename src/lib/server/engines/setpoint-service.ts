import { Quality } from '$lib/shared/protocol';
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
	| 'HMI_ERR_SETPOINT_UNKNOWN'
	| 'HMI_ERR_SETPOINT_NOT_A_NUMBER'
	| 'HMI_ERR_SETPOINT_OUT_OF_RANGE'
	| 'HMI_ERR_SETPOINT_OFF_STEP'
	| 'HMI_ERR_SETPOINT_SOURCE_DOWN'
	| 'HMI_ERR_SETPOINT_STALE'
	| 'HMI_ERR_SETPOINT_CHANGED'
	| 'HMI_ERR_SETPOINT_WRITE_FAILED'
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

/** Sends a value to the source; rejects when the source refused it or did not answer in time. */
export type SetpointWriter = (target: SetpointTarget, value: number) => Promise<void>;

export type SetpointWriteResult =
	| { ok: true; entry: AuditEntry }
	| { ok: false; status: 400 | 404 | 409 | 502; code: SetpointErrorCode; message: string };

export const SETPOINT_AUDIT_ACTION = 'setpoint.write';

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
		if (!target) return refuse(404, 'HMI_ERR_SETPOINT_UNKNOWN', `no writable setpoint at ${String(path)}`);
		const problem = checkSetpointValue(target.setpoint, value);
		if (problem) {
			const { min, max, step } = target.setpoint;
			return refuse(400, problem, `value must be a number within ${min}…${max}${step ? ` in steps of ${step}` : ''}`);
		}
		// On the grid exactly: a value within float noise of it goes out as the grid value, not unrounded.
		const newValue = snapSetpointValue(target.setpoint, value as number);
		if (sources.get(target.sourceId)?.state !== 'connected')
			return refuse(409, 'HMI_ERR_SETPOINT_SOURCE_DOWN', `${target.sourceId} is not connected; nothing was written`);
		const tag = store.get(target.path);
		if (!tag || tag.quality !== Quality.Good || tag.value === null)
			return refuse(409, 'HMI_ERR_SETPOINT_STALE', `${target.path} has no fresh value; nothing was written`);
		if (this.#inFlight.has(target.path))
			return refuse(409, 'HMI_ERR_SETPOINT_BUSY', `another write to ${target.path} is on its way; nothing was written`);
		const current = this.#currentValue(target.path, tag.value, tag.updates);
		if (expected !== undefined && expected !== current)
			return refuse(409, 'HMI_ERR_SETPOINT_CHANGED', `${target.path} is now ${JSON.stringify(current)}, not ${JSON.stringify(expected)}; nothing was written`);

		const base = { user, action: SETPOINT_AUDIT_ACTION, target: target.path, oldValue: current, newValue };
		const detail = { line: target.lineId, machine: target.machineId, setpoint: target.setpoint.id, source: target.sourceId };
		this.#inFlight.add(target.path);
		try {
			await this.deps.write(target, newValue);
		} catch (err) {
			// Audited too: the source may have applied a write whose answer timed out, so the attempt must be on record.
			const reason = (err as Error).message;
			audit.record({ ...base, ts: clock.now(), detail: { ...detail, result: 'failed', reason } });
			log.warn({ user, path: target.path, reason }, 'setpoint write failed');
			return refuse(502, 'HMI_ERR_SETPOINT_WRITE_FAILED', `the source did not take the value: ${reason}`);
		} finally {
			this.#inFlight.delete(target.path);
		}
		this.#written.set(target.path, { value: newValue, at: clock.now(), tagUpdates: store.get(target.path)?.updates ?? 0 });
		const entry = { ...base, ts: clock.now(), detail: { ...detail, result: 'written' } };
		const id = audit.record(entry);
		log.info({ user, path: target.path, oldValue: current, newValue }, 'setpoint written');
		return { ok: true, entry: { id, ...entry } };
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

function refuse(status: 400 | 404 | 409 | 502, code: SetpointErrorCode, message: string): SetpointWriteResult {
	return { ok: false, status, code, message };
}
