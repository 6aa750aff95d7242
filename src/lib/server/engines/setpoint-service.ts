import { Quality } from '$lib/shared/protocol';
import { checkSetpointValue } from '$lib/shared/setpoint-rules';
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
	| 'HMI_ERR_SETPOINT_WRITE_FAILED';

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
		const newValue = value as number;
		if (sources.get(target.sourceId)?.state !== 'connected')
			return refuse(409, 'HMI_ERR_SETPOINT_SOURCE_DOWN', `${target.sourceId} is not connected; nothing was written`);
		const tag = store.get(target.path);
		if (!tag || tag.quality !== Quality.Good || tag.value === null)
			return refuse(409, 'HMI_ERR_SETPOINT_STALE', `${target.path} has no fresh value; nothing was written`);
		if (expected !== undefined && expected !== tag.value)
			return refuse(409, 'HMI_ERR_SETPOINT_CHANGED', `${target.path} is now ${JSON.stringify(tag.value)}, not ${JSON.stringify(expected)}; nothing was written`);

		const base = { user, action: SETPOINT_AUDIT_ACTION, target: target.path, oldValue: tag.value, newValue };
		const detail = { line: target.lineId, machine: target.machineId, setpoint: target.setpoint.id, source: target.sourceId };
		try {
			await this.deps.write(target, newValue);
		} catch (err) {
			// Audited too: the source may have applied a write whose answer timed out, so the attempt must be on record.
			const reason = (err as Error).message;
			audit.record({ ...base, ts: clock.now(), detail: { ...detail, result: 'failed', reason } });
			log.warn({ user, path: target.path, reason }, 'setpoint write failed');
			return refuse(502, 'HMI_ERR_SETPOINT_WRITE_FAILED', `the source did not take the value: ${reason}`);
		}
		const entry = { ...base, ts: clock.now(), detail: { ...detail, result: 'written' } };
		const id = audit.record(entry);
		log.info({ user, path: target.path, oldValue: tag.value, newValue }, 'setpoint written');
		return { ok: true, entry: { id, ...entry } };
	}
}

function refuse(status: 400 | 404 | 409 | 502, code: SetpointErrorCode, message: string): SetpointWriteResult {
	return { ok: false, status, code, message };
}
