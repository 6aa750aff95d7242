import type { LocalText } from '$lib/shared/languages';
import type { TagValue } from '$lib/shared/protocol';
import type { AlarmDisplayState, AlarmPriority } from '$lib/shared/alarms';

/** What makes an alarm's condition true. */
export type AlarmTrigger =
	| { kind: 'limit'; tagPath: string; direction: 'high' | 'low'; limit: number; deadband: number }
	| { kind: 'discrete'; tagPath: string; equals: readonly (string | number)[] }
	| { kind: 'comms'; sourceId: string };

/** One configured alarm, worked out from the plant model. */
export interface AlarmDefinition {
	/** Also the path of the tag that carries its state, e.g. `acme/…/line1/filler/_alarms/product_temperature_h`. */
	id: string;
	lineId: string;
	machineId?: string;
	trigger: AlarmTrigger;
	priority: AlarmPriority;
	latching: boolean;
	onDelayMs: number;
	offDelayMs: number;
	message: LocalText;
	/** Suppressed by design while this machine state tag holds one of `states`. */
	suppression?: { statePath: string; states: readonly string[] };
	/** A tag whose value is kept with each activation (the reason code of a fault). */
	detailTagPath?: string;
}

export type Shelve =
	| { kind: 'timed'; until: number; by: string; reason: string }
	| { kind: 'one-shot'; by: string; reason: string };

/**
 * The state of one alarm as orthogonal facts; what an operator sees (`displayState`) is derived from them.
 * Times are epoch ms.
 */
export interface AlarmState {
	/** The process condition after on/off delays: the alarm is active. */
	active: boolean;
	/** The condition before delays, and since when it has had that value. */
	raw: boolean;
	rawSince: number;
	/** Whether the latest activation (or return to normal) has been acknowledged. */
	acked: boolean;
	/** A latching alarm whose condition cleared: it stays until reset. */
	latched: boolean;
	shelved: Shelve | null;
	outOfService: { by: string; reason: string } | null;
	/** Suppressed by design (machine state). */
	suppressed: boolean;
	/** Times of recent activations, for chattering. */
	activations: number[];
	chattering: boolean;
	/** Last value of the triggering tag. */
	value: TagValue;
	/** Value of the detail tag at activation (e.g. fault reason code). */
	detail: TagValue;
	activeSince: number | null;
	/** When the displayed state last changed. */
	changedAt: number;
}

export function initialAlarmState(now: number): AlarmState {
	return {
		active: false,
		raw: false,
		rawSince: now,
		acked: true,
		latched: false,
		shelved: null,
		outOfService: null,
		suppressed: false,
		activations: [],
		chattering: false,
		value: null,
		detail: null,
		activeSince: null,
		changedAt: now
	};
}

/**
 * What the operator sees, in order of precedence: out of service, suppressed by design, shelved, latched,
 * then the four ISA-18.2 states of the active/acknowledged pair.
 */
export function displayState(s: AlarmState): AlarmDisplayState {
	if (s.outOfService) return 'out_of_service';
	if (s.suppressed) return 'suppressed';
	if (s.shelved) return 'shelved';
	if (s.latched) return 'latched';
	if (s.active) return s.acked ? 'ack_active' : 'unack_active';
	return s.acked ? 'normal' : 'rtn_unack';
}

/** Alarms hidden from the operator (not annunciated) while in these states. */
export function isHidden(s: AlarmState): boolean {
	return s.outOfService !== null || s.suppressed || s.shelved !== null;
}

export type AlarmEvent =
	/** A new value of the triggering tag (with the detail tag's value at that moment). */
	| { type: 'value'; value: TagValue; detail?: TagValue }
	/** A new value of the detail tag (a reason code often arrives just after the state it explains). */
	| { type: 'detail'; value: TagValue }
	/** Time passes: delays and shelve expiry are checked. */
	| { type: 'tick' }
	/** The machine state that drives suppression by design. */
	| { type: 'suppress'; on: boolean }
	| { type: 'ack'; user: string; comment?: string }
	| { type: 'shelve'; user: string; reason: string; durationMs: number | null }
	| { type: 'unshelve'; user: string }
	| { type: 'out_of_service'; user: string; reason: string }
	| { type: 'return_to_service'; user: string }
	| { type: 'reset'; user: string };

export type AlarmAction = Extract<AlarmEvent, { user: string }>['type'];

export type RejectCode =
	| 'alarm.nothing_to_ack'
	| 'alarm.not_shelved'
	| 'alarm.already_shelved'
	| 'alarm.not_active'
	| 'alarm.not_latched'
	| 'alarm.still_active'
	| 'alarm.in_service'
	| 'alarm.already_out_of_service'
	| 'alarm.shelve_too_long'
	| 'alarm.hidden';

export type AlarmEffect =
	/** Record a state change or an operator action in the journal. */
	| {
			type: 'journal';
			from: AlarmDisplayState;
			to: AlarmDisplayState;
			action?: AlarmAction | 'expire';
			user?: string;
			comment?: string;
			reason?: string;
	  }
	/** A new alarm the operator must hear/see (not while hidden). */
	| { type: 'annunciate'; priority: AlarmPriority }
	/** The action was refused; nothing changed. */
	| { type: 'rejected'; code: RejectCode };
