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

/** How often delays, shelve expiry, chattering and flood are re-evaluated, ms. */
const TICK_MS = 1000;
/** How often the journal is pruned to its retention, ms. */
const PRUNE_EVERY_MS = 3600_000;

export type OperatorEvent = Extract<AlarmEvent, { user: string }>;
export type ActionResult = { ok: true } | { ok: false; code: RejectCode | 'alarm.unknown' };

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
	#lastPrune = 0;

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
		this.#prune();
	}

	/** Carries out an operator's action on one alarm; the journal row is on disk when this returns. */
	act(id: string, event: OperatorEvent): ActionResult {
		const def = this.#defs.get(id);
		if (!def) return { ok: false, code: 'alarm.unknown' };
		const effects = this.#apply(def, event);
		const rejected = effects.find((e) => e.type === 'rejected');
		return rejected ? { ok: false, code: rejected.code } : { ok: true };
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
		if (this.opts.clock.now() - this.#lastPrune >= PRUNE_EVERY_MS) this.#prune();
	}

	#apply(def: AlarmDefinition, event: AlarmEvent): AlarmEffect[] {
		const now = this.opts.clock.now();
		const before = this.#states.get(def.id)!;
		const [next, effects] = transition(def, this.#limits, before, event, now);
		if (next === before) return effects;
		this.#states.set(def.id, next);
		// The hot path: a limit alarm sees every value of its tag; when only the live value moved there is
		// nothing to journal or publish, and the signature check below need not run.
		if (effects.length === 0 && onlyValueChanged(before, next)) return effects;
		for (const effect of effects) {
			if (effect.type === 'journal') {
				this.opts.journal.append({
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
				});
			} else if (effect.type === 'annunciate') {
				this.#setFlood(updateFlood(this.#flood, this.#floodSettings, now, true));
			}
		}
		this.#publish(def.id);
		return effects;
	}

	/** Publishes (and persists) the alarm when anything but the live value changed. */
	#publish(id: string, force = false): void {
		const def = this.#defs.get(id)!;
		const state = this.#states.get(id)!;
		const record = toRecord(def, state);
		const { value: _value, ...significant } = record;
		const signature = JSON.stringify(significant);
		if (!force && this.#published.get(id) === signature) return;
		this.#published.set(id, signature);
		const now = this.opts.clock.now();
		if (!force) this.opts.states.save(id, state, now);
		this.opts.store.apply({ path: id, value: record as unknown as Record<string, unknown>, quality: Quality.Good, sourceTs: state.changedAt, serverTs: now, origin: 'alarms' });
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

	#prune(): void {
		const now = this.opts.clock.now();
		this.#lastPrune = now;
		const removed = this.opts.journal.prune(now - this.opts.plant.alarmSettings.journalRetentionDays * 86_400_000);
		if (removed > 0) this.opts.log.info({ removed }, 'alarm journal pruned to its retention');
	}
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
