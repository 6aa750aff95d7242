import { KPI_SEGMENT } from '$lib/shared/uns-path';
import { Quality, SOURCE_STATE_PREFIX } from '$lib/shared/protocol';
import type { Clock } from '../clock';
import { ShiftCalendar } from '../domain/oee/calendar';
import { MachineOeeTracker, toReport, type ShiftReport } from '../domain/oee/tracker';
import { orderProgress, OrderSamples } from '../domain/oee/order';
import type { PlantModel } from '../domain/plant/schema';
import { linePath, ORDER_SEGMENT, ORDER_TAG_IDS, sourceIdOf, type OrderTagId } from '../domain/plant/view';
import type { TagRecord, TagStore } from '../domain/tags/tag-store';
import type { Logger } from '../log';
import type { OeeStore } from '../store/oee-store';

const TICK_MS = 1000;
/** How often live figures are published, and the current shift saved, ms. */
const PUBLISH_MS = 2000;
const SAVE_MS = 60_000;
/** A finished shift stays open this long for data that arrives late (counters read just after the change), ms. */
const LATE_DATA_GRACE_MS = 5 * 60_000;

interface MachineFeed {
	path: string;
	lineId: string;
	sourceId: string;
	tracker: MachineOeeTracker;
	idealCycleMs: number;
	state?: string;
	reason: number;
	total?: number;
	good?: number;
	countsTs: number;
	countsChanged: boolean;
}

/** The running work order of a line, from its `order/*` tags. */
interface OrderFeed {
	number?: string;
	product?: string;
	target?: number;
	good?: number;
	startedAt: number | null;
	samples: OrderSamples;
}

export interface OeeServiceOptions {
	plant: PlantModel;
	store: TagStore;
	oeeStore: OeeStore;
	clock: Clock;
	log: Logger;
}

/**
 * Keeps OEE per machine and shift from live tags: machine state and reason code, total and good counters.
 * Publishes the current shift's figures as derived tags (`…/_kpi/shift` with everything, and `…/_kpi/oee`,
 * `availability`, `performance`, `quality` as plain numbers); a line's figures are its constraint machine's.
 * Saves each shift's totals to SQLite as it goes.
 */
export class OeeService {
	readonly calendar: ShiftCalendar;
	readonly #machines = new Map<string, MachineFeed>();
	/** Tag path → the machine feed and which input it is. */
	readonly #routes = new Map<string, { feed: MachineFeed; input: 'state' | 'reason_code' | 'count_total' | 'count_good' }>();
	readonly #constraints = new Map<string, MachineFeed>();
	/** Line path → its work order; tag path → the line's order and which input it is. */
	readonly #orders = new Map<string, OrderFeed>();
	readonly #orderRoutes = new Map<string, { order: OrderFeed; input: OrderTagId }>();
	readonly #unsubscribe: () => void;
	readonly #timer: unknown;
	/** Sources currently not connected: figures from them are published as Stale. */
	readonly #sourcesDown = new Set<string>();
	#lastPublish = 0;
	#lastSave = 0;
	#currentShift: string | null = null;

	constructor(private readonly opts: OeeServiceOptions) {
		const { plant, store, clock } = opts;
		const settings = plant.oee;
		this.calendar = new ShiftCalendar(settings.shifts, settings.timezone);
		const plannedReasons = new Set(plant.reasons.filter((r) => r.kind === 'planned').map((r) => r.code));
		const now = clock.now();
		const shift = this.calendar.shiftAt(now);
		this.#currentShift = shift?.key ?? null;
		for (const line of plant.lines) {
			const base = linePath(plant, line);
			const order: OrderFeed = { startedAt: null, samples: new OrderSamples() };
			this.#orders.set(base, order);
			for (const input of ORDER_TAG_IDS) this.#orderRoutes.set(`${base}/${ORDER_SEGMENT}/${input}`, { order, input });
			for (const machine of line.machines) {
				const idealCycleMs = 60_000 / plant.machineTypes[machine.type].idealRatePerMin;
				const tracker = new MachineOeeTracker(this.calendar, {
					idealCycleMs,
					smallStopMs: settings.smallStopS * 1000,
					startupMs: settings.startupMinutes * 60_000,
					runningStates: new Set(settings.runningStates),
					plannedReasons,
					changeoverAs: settings.changeoverAs
				});
				const path = `${base}/${machine.id}`;
				const saved = shift && opts.oeeStore.load(path, shift.key);
				if (saved) tracker.restore(saved);
				const feed: MachineFeed = { path, lineId: line.id, sourceId: sourceIdOf(line), tracker, idealCycleMs, reason: 0, countsTs: 0, countsChanged: false };
				this.#machines.set(path, feed);
				for (const input of ['state', 'reason_code', 'count_total', 'count_good'] as const) this.#routes.set(`${path}/${input}`, { feed, input });
				if (machine.id === line.constraint) this.#constraints.set(base, feed);
			}
		}
		for (const tag of store.all()) this.#onTag(tag);
		this.#unsubscribe = store.subscribe((tag) => this.#onTag(tag));
		this.#timer = clock.setInterval(() => this.#tick(), TICK_MS);
	}

	/** The current shift's report of a machine or (by line path) of a line's constraint machine. */
	current(path: string): ShiftReport | undefined {
		const feed = this.#machines.get(path) ?? this.#constraints.get(path);
		const shift = this.calendar.shiftAt(this.opts.clock.now());
		return feed && shift ? feed.tracker.report(shift.key) : undefined;
	}

	/** Up to `count` shifts before the current one, newest first, from the database. */
	history(path: string, count: number): ShiftReport[] {
		const feed = this.#machines.get(path) ?? this.#constraints.get(path);
		if (!feed) return [];
		const shift = this.calendar.shiftAt(this.opts.clock.now());
		const before = shift?.start ?? this.opts.clock.now();
		return this.opts.oeeStore.recent(feed.path, before, count).map((t) => toReport(t, feed.idealCycleMs));
	}

	/** Machine and line paths that have OEE. */
	paths(): { lines: string[]; machines: string[] } {
		return { lines: [...this.#constraints.keys()], machines: [...this.#machines.keys()] };
	}

	stop(): void {
		this.opts.clock.clearInterval(this.#timer);
		this.#unsubscribe();
		this.#saveAll();
	}

	#onTag(tag: TagRecord): void {
		if (tag.path.startsWith(SOURCE_STATE_PREFIX)) {
			const sourceId = tag.path.slice(SOURCE_STATE_PREFIX.length).split('/')[0];
			if (tag.value === 'connected') this.#sourcesDown.delete(sourceId);
			else {
				this.#sourcesDown.add(sourceId);
				for (const feed of this.#machines.values()) if (feed.sourceId === sourceId) this.#lostContact(feed);
			}
			return;
		}
		const orderRoute = this.#orderRoutes.get(tag.path);
		if (orderRoute && tag.quality === Quality.Good) {
			this.#onOrderTag(orderRoute.order, orderRoute.input, tag);
			return;
		}
		const route = this.#routes.get(tag.path);
		if (!route || tag.quality !== Quality.Good) return;
		const { feed, input } = route;
		if (input === 'state' || input === 'reason_code') {
			if (input === 'state') feed.state = String(tag.value);
			else feed.reason = Number(tag.value) || 0;
			if (feed.state !== undefined) feed.tracker.onState(tag.sourceTs, feed.state, feed.reason);
			return;
		}
		if (typeof tag.value !== 'number') return;
		if (input === 'count_total') feed.total = tag.value;
		else feed.good = tag.value;
		feed.countsTs = Math.max(feed.countsTs, tag.sourceTs);
		feed.countsChanged = true;
	}

	#onOrderTag(order: OrderFeed, input: OrderTagId, tag: TagRecord): void {
		const value = tag.value;
		if (input === 'number' || input === 'product') order[input] = String(value);
		else if (typeof value !== 'number') return;
		else if (input === 'target') order.target = value;
		else if (input === 'started_ms') order.startedAt = value;
		else {
			order.good = value;
			if (order.number !== undefined) order.samples.add(order.number, tag.sourceTs, value);
		}
	}

	#lostContact(feed: MachineFeed): void {
		feed.tracker.lostContact(this.opts.clock.now());
		feed.state = undefined;
		feed.total = feed.good = undefined;
	}

	#tick(): void {
		const now = this.opts.clock.now();
		for (const feed of this.#machines.values()) {
			// Counters come as separate messages: read them as a pair once a tick.
			if (feed.countsChanged && feed.total !== undefined && feed.good !== undefined) {
				feed.tracker.onCounters(feed.countsTs, feed.total, feed.good);
				feed.countsChanged = false;
			}
			feed.tracker.advance(now);
		}
		const shift = this.calendar.shiftAt(now)?.key ?? null;
		if (shift !== this.#currentShift) {
			this.#saveAll();
			this.#currentShift = shift;
		}
		if (now - this.#lastSave >= SAVE_MS) {
			this.#saveAll();
			// Shifts that ended a while ago are stored for good: close them.
			for (const feed of this.#machines.values()) feed.tracker.forgetBefore(now - LATE_DATA_GRACE_MS);
		}
		if (now - this.#lastPublish >= PUBLISH_MS) this.#publish(now);
	}

	#saveAll(): void {
		const now = this.opts.clock.now();
		this.#lastSave = now;
		for (const feed of this.#machines.values()) {
			for (const report of feed.tracker.reports()) this.opts.oeeStore.save(feed.path, feed.tracker.totals(report.key)!, now);
		}
	}

	#publish(now: number): void {
		this.#lastPublish = now;
		const targets: [string, MachineFeed][] = [...this.#machines.entries(), ...this.#constraints.entries()];
		for (const [path, feed] of targets) {
			const report = this.#currentShift ? feed.tracker.report(this.#currentShift) : undefined;
			if (!report) continue;
			// While its source is down the figures stand still: say so, as for any value from that source.
			const quality = this.#sourcesDown.has(feed.sourceId) ? Quality.Stale : Quality.Good;
			const set = (name: string, value: unknown) =>
				this.opts.store.apply({ path: `${path}/${KPI_SEGMENT}/${name}`, value: value as never, quality, sourceTs: now, serverTs: now, origin: 'oee' });
			set('shift', report);
			set('oee', report.oee);
			set('availability', report.availability);
			set('performance', report.performance);
			set('quality', report.quality);
		}
		for (const [path, order] of this.#orders) {
			if (order.number === undefined || order.target === undefined || order.good === undefined) continue;
			const kpi = orderProgress(
				{ number: order.number, product: order.product ?? '', target: order.target, good: order.good, startedAt: order.startedAt, samples: order.samples.samples },
				now
			);
			this.opts.store.apply({ path: `${path}/${KPI_SEGMENT}/order`, value: kpi as never, quality: Quality.Good, sourceTs: now, serverTs: now, origin: 'oee' });
		}
	}
}
