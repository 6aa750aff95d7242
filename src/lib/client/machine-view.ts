/**
 * What a machine shows, derived from its tags: the machine tile (overview) and the machine detail
 * screen present the same state, reason, speed, counts and process values at different sizes.
 */
import type { MachineState, MachineView, TagView } from '$lib/shared/plant-view';
import { plantKey } from '$lib/i18n.svelte';
import type { StaleReason } from './live.svelte';

export interface MachineTags {
	state: TagView | undefined;
	reason: TagView | undefined;
	speed: TagView | undefined;
	counters: TagView[];
	process: TagView[];
}

/** A machine's tags by the role they play on screen (one state, reason and speed tag at most). */
export function machineTags(machine: MachineView): MachineTags {
	const byKind = (kind: TagView['kind']) => machine.tags.filter((t) => t.kind === kind);
	return {
		state: byKind('state')[0],
		reason: byKind('reason')[0],
		speed: byKind('speed')[0],
		counters: byKind('counter'),
		process: byKind('process')
	};
}

/** The parts of a translator a reason text needs. */
export interface ReasonTexts {
	has(key: string): boolean;
	t(key: string): string;
}

/**
 * The reason text, shown only while the machine is known not to be running and a reason code (not 0)
 * is given; a code without a label still tells the operator its number.
 */
export function reasonText(state: MachineState | null, code: unknown, texts: ReasonTexts): string | null {
	if (!state || state === 'running') return null;
	if (typeof code !== 'number' || code === 0) return null;
	const key = plantKey.reason(code);
	return texts.has(key) ? texts.t(key) : `${texts.t('machine.reason')} ${code}`;
}

/**
 * How far a shown value may be trusted, for its look and marker: `waiting` while none has ever arrived in
 * this tab (the socket is connecting, or the snapshot is on its way): there is nothing to distrust yet, and
 * calling it stale would claim a value that went old. Once a value has arrived, any reason not to trust it
 * makes it `stale` (or `bad` for bad quality), and it stays readable, marked.
 */
export type ValueTrust = 'good' | 'waiting' | 'stale' | 'bad';

/** @param reason `LiveClient.staleness` for the value (null when it is good) */
export function valueTrust(hasValue: boolean, reason: StaleReason | null): ValueTrust {
	if (!hasValue) return 'waiting';
	if (reason === null) return 'good';
	return reason === 'bad' ? 'bad' : 'stale';
}
