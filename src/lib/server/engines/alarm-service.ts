import { FLOOD_PATH, type AlarmRecord } from '$lib/shared/alarms';
import { Quality, SOURCE_STATE_PREFIX } from '$lib/shared/protocol';
import type { Clock } from '../clock';
import { alarmDefinitions } from '../domain/alarms/definitions';
import { NO_FLOOD, updateFlood, type FloodSettings, type FloodState } from '../domain/alarms/flood';
import {
	displayState,
	initialAlarmState,
	type AlarmDefinition,
	type AlarmEffect,
	type AlarmEvent,
	type AlarmState,
	type RejectCode
} from '../domain/alarms/model';
import { transition, type AlarmLimits } from '../domain/alarms/transition';
import type { PlantModel } from '../domain/plant/schema';
import type { TagRecord, TagStore } from '../domain/tags/tag-store';
import type { Logger } from '../log';
import type { AlarmJournal, AlarmStateStore } from '../store/alarm-journal';
import type { WriteOutcome } from '../store/storage-guard';

/** How often delays, shelve expiry, chattering and flood are re-evaluated, ms. */
const TICK_MS = 1000;

export type OperatorEvent = Extract<AlarmEvent, { user: string }>;
/**
 * `journal`: what became of the action's record (its journal row and the alarm's saved state): `written` is on
 * disk; `queued` waits in memory because the database refuses writes (the action took effect all the same).
 */
export type ActionResult = { ok: true; journal: WriteOutcome } | { ok: false; code: RejectCode | 'alarm.unknown' };

export interface AlarmServiceOptions {
	plant: PlantModel;
	store: TagStore;
	journal: AlarmJournal;
	states: AlarmStateStore;
	clock: Clock;
	log: Logger;
}

/**
 * Runs the alarm engine against live tags: feeds it values, machine states (suppression) and source states
 * (communication alarms), carries out its effects (journal rows, persisted state), and publishes each
 * alarm's state as the tag `<path>/_alarms/<name>` so it streams like any other value.
 */
export class AlarmService {
	readonly #defs = new Map<string, AlarmDefinition>();
	readonly #states = new Map<string, AlarmState>();
	readonly #published = new Map<string, string>();
	readonly #byTrigger = new Map<string, AlarmDefinition[]>();
	readonly #bySuppression = new Map<string, AlarmDefinition[]>();
	readonly #byDetail = new Map<string, AlarmDefinition[]>();
	readonly #limits: AlarmLimits;
	readonly #floodSettings: FloodSettings;
	#flood: FloodState = NO_FLOOD;
	readonly #unsubscribe: () => void;
	readonly #timer: unknown;

	constructor(private readonly opts: AlarmServiceOptions) {
		const { plant, store, clock } = opts;
		const settings = plant.alarmSettings;
		this.#limits = { maxShelveMs: settings.maxShelveMinutes * 60_000, chatterCount: settings.chatter.count, chatterWindowMs: settings.chatter.windowS * 1000 };
		this.#floodSettings = { count: settings.flood.count, windowMs: settings.flood.windowS * 1000, endBelow: settings.flood.endBelow };
		const saved = opts.states.loadAll();
		const now = clock.now();
		for (const def of alarmDefinitions(plant)) {
			this.#defs.set(def.id, def);
			this.#states.set(def.id, restore(saved.get(def.id), now));
			const triggerPath = def.trigger.kind === 'comms' ? `${SOURCE_STATE_PREFIX}${def.trigger.sourceId}/state` : def.trigger.tagPath;
			push(this.#byTrigger, triggerPath, def);
			if (def.suppression) push(this.#bySuppression, def.suppression.statePath, def);
			if (def.detailTagPath) push(this.#byDetail, def.detailTagPath, def);
		}
		for (const id of this.#defs.keys()) this.#publish(id, true);
		this.#publishFlood();
		// Tags already known (a source connected before us) count as fresh news.
		for (const tag of store.all()) this.#onTag(tag);
		this.#unsubscribe = store.subscribe((tag) => this.#onTag(tag));
		this.#timer = clock.setInterval(() => this.#tick(), TICK_MS);
	}

	/**
	 * Carries out an operator's action on one alarm. When this returns, the journal row is on disk — or, when
	 * the database refuses writes, waits in memory to be written (`journal: 'queued'`): the action has taken
	 * effect either way, and an operator must be able to acknowledge while the disk is full.
	 */
	act(id: string, event: OperatorEvent): ActionResult {
		const def = this.#defs.get(id);
		if (!def) return { ok: false, code: 'alarm.unknown' };
		const { effects, recorded } = this.#apply(def, event, true);
		const rejected = effects.find((e) => e.type === 'rejected');
		return rejected ? { ok: false, code: rejected.code } : { ok: true, journal: recorded };
	}

	/** Every alarm with its current state. */
	records(): (AlarmRecord & { id: string })[] {
		return [...this.#defs.values()].map((def) => ({ id: def.id, ...toRecord(def, this.#states.get(def.id)!) }));
	}

	get flood(): FloodState {
		return this.#flood;
	}

	stop(): void {
		this.opts.clock.clearInterval(this.#timer);
		this.#unsubscribe();
	}

	#onTag(tag: TagRecord): void {
		const triggered = this.#byTrigger.get(tag.path);
		if (triggered) {
			// A value we cannot trust says nothing about the process; comms alarms read the state tag itself.
			if (tag.quality === Quality.Good) {
				for (const def of triggered) {
					const detail = def.detailTagPath ? (this.opts.store.get(def.detailTagPath)?.value ?? null) : undefined;
					this.#apply(def, { type: 'value', value: tag.value, detail });
				}
			}
		}
		const detailed = this.#byDetail.get(tag.path);
		if (detailed && tag.quality === Quality.Good) for (const def of detailed) this.#apply(def, { type: 'detail', value: tag.value });
		const suppressed = this.#bySuppression.get(tag.path);
		if (suppressed && tag.quality === Quality.Good) {
			for (const def of suppressed) this.#apply(def, { type: 'suppress', on: def.suppression!.states.includes(String(tag.value)) });
		}
	}

	#tick(): void {
		for (const def of this.#defs.values()) this.#apply(def, { type: 'tick' });
		const flood = updateFlood(this.#flood, this.#floodSettings, this.opts.clock.now(), false);
		if (flood !== this.#flood) this.#setFlood(flood);
	}

	/**
	 * Runs one event through the state machine and carries out its effects. Storage errors never come back
	 * here (the storage guard keeps what it cannot write): a message handler or a timer never throws for them.
	 * @param urgent an operator waits for the answer: rows waiting for the database are tried at once
	 * @returns the effects, and the worst outcome of the writes they caused
	 */
	#apply(def: AlarmDefinition, event: AlarmEvent, urgent = false): { effects: AlarmEffect[]; recorded: WriteOutcome } {
		const now = this.opts.clock.now();
		const before = this.#states.get(def.id)!;
		const [next, effects] = transition(def, this.#limits, before, event, now);
		let recorded: WriteOutcome = 'written';
		if (next === before) return { effects, recorded };
		this.#states.set(def.id, next);
		// The hot path: a limit alarm sees every value of its tag; when only the live value moved there is
		// nothing to journal or publish, and the signature check below need not run.
		if (effects.length === 0 && onlyValueChanged(before, next)) return { effects, recorded };
		for (const effect of effects) {
			if (effect.type === 'journal') {
				const outcome = this.opts.journal.append(
					{
						ts: now,
						alarmId: def.id,
						line: def.lineId,
						machine: def.machineId ?? null,
						priority: def.priority,
						from: effect.from,
						to: effect.to,
						action: effect.action ?? null,
						value: next.value,
						user: effect.user ?? null,
						comment: effect.comment ?? null,
						reason: effect.reason ?? null,
						message: def.message
					},
					urgent
				);
				recorded = worse(recorded, outcome);
			} else if (effect.type === 'annunciate') {
				this.#setFlood(updateFlood(this.#flood, this.#floodSettings, now, true));
			}
		}
		recorded = worse(recorded, this.#publish(def.id));
		return { effects, recorded };
	}

	/**
	 * Publishes (and persists) the alarm when anything but the live value changed.
	 * @returns what became of the saved state (`written` when nothing needed saving)
	 */
	#publish(id: string, force = false): WriteOutcome {
		const def = this.#defs.get(id)!;
		const state = this.#states.get(id)!;
		const record = toRecord(def, state);
		const { value: _value, ...significant } = record;
		const signature = JSON.stringify(significant);
		if (!force && this.#published.get(id) === signature) return 'written';
		this.#published.set(id, signature);
		const now = this.opts.clock.now();
		const saved = force ? 'written' : this.opts.states.save(id, state, now);
		this.opts.store.apply({ path: id, value: record as unknown as Record<string, unknown>, quality: Quality.Good, sourceTs: state.changedAt, serverTs: now, origin: 'alarms' });
		return saved;
	}

	#setFlood(flood: FloodState): void {
		const started = flood.active && !this.#flood.active;
		const ended = !flood.active && this.#flood.active;
		this.#flood = flood;
		if (started) this.opts.log.warn({ count: flood.recent.length }, 'alarm flood');
		if (ended) this.opts.log.info('alarm flood over');
		if (started || ended || flood.active) this.#publishFlood();
	}

	#publishFlood(): void {
		const now = this.opts.clock.now();
		this.opts.store.apply({
			path: FLOOD_PATH,
			value: { active: this.#flood.active, count: this.#flood.recent.length, since: this.#flood.since },
			quality: Quality.Good,
			sourceTs: now,
			serverTs: now,
			origin: 'alarms'
		});
	}
}

const SEVERITY: Record<WriteOutcome, number> = { written: 0, queued: 1, lost: 2 };

/** The outcome that tells the operator more: lost over queued over written. */
function worse(a: WriteOutcome, b: WriteOutcome): WriteOutcome {
	return SEVERITY[b] > SEVERITY[a] ? b : a;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
	const list = map.get(key);
	if (list) list.push(value);
	else map.set(key, [value]);
}

/** A saved state merged over a fresh one, so a state saved by an older version still loads. */
function restore(saved: unknown, now: number): AlarmState {
	const fresh = initialAlarmState(now);
	if (typeof saved !== 'object' || saved === null) return fresh;
	return { ...fresh, ...(saved as Partial<AlarmState>) };
}

function toRecord(def: AlarmDefinition, s: AlarmState): AlarmRecord {
	return {
		state: displayState(s),
		priority: def.priority,
		active: s.active,
		acked: s.acked,
		latching: def.latching,
		chattering: s.chattering,
		line: def.lineId,
		...(def.machineId && { machine: def.machineId }),
		message: def.message,
		value: s.value,
		detail: s.detail,
		activeSince: s.activeSince,
		changedAt: s.changedAt,
		...(s.shelved && {
			shelved: s.shelved.kind === 'timed' ? { kind: 'timed' as const, until: s.shelved.until, by: s.shelved.by, reason: s.shelved.reason } : { kind: 'one-shot' as const, by: s.shelved.by, reason: s.shelved.reason }
		}),
		...(s.outOfService && { outOfService: s.outOfService })
	};
}

/** True when two states differ in nothing but `value` (same references elsewhere). */
function onlyValueChanged(before: AlarmState, next: AlarmState): boolean {
	for (const key in next) {
		if (key !== 'value' && next[key as keyof AlarmState] !== before[key as keyof AlarmState]) return false;
	}
	return true;
}
