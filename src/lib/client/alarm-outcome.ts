/**
 * What the operator is told after an alarm action: how many alarms it was done for, and for each refused
 * one the server's reason (an `alarm.*` i18n key).
 */
import type { ActionOutcome } from './alarm-api';
import type { RowAction } from './alarms';

export interface OutcomeReport {
	action: RowAction;
	/** `ok` all done · `partial` some refused · `refused` none done · `error` the request failed. */
	tone: 'ok' | 'partial' | 'refused' | 'error';
	done: number;
	/** Of those done, how many have a journal row that waits to be written (the server's database refuses writes). */
	queued: number;
	refused: { id: string; key: string }[];
	/** Why nothing happened, when the request itself failed. */
	errorKey?: string;
}

/** Refusal codes the screens have a text for; anything else is shown as `alarm.unknown`. */
export const REFUSAL_KEYS: ReadonlySet<string> = new Set([
	'alarm.nothing_to_ack',
	'alarm.not_shelved',
	'alarm.already_shelved',
	'alarm.not_active',
	'alarm.not_latched',
	'alarm.still_active',
	'alarm.in_service',
	'alarm.already_out_of_service',
	'alarm.shelve_too_long',
	'alarm.hidden',
	'alarm.unknown'
]);

export function reportOutcome(action: RowAction, outcome: ActionOutcome): OutcomeReport {
	if (!outcome.ok) return { action, tone: 'error', done: 0, queued: 0, refused: [], errorKey: outcome.key };
	const refused = outcome.results
		.filter((r) => !r.ok)
		.map((r) => ({ id: r.id, key: r.code && REFUSAL_KEYS.has(r.code) ? r.code : 'alarm.unknown' }));
	const done = outcome.results.length - refused.length;
	const queued = outcome.results.filter((r) => r.ok && r.journal !== undefined && r.journal !== 'written').length;
	const tone = refused.length === 0 ? 'ok' : done === 0 ? 'refused' : 'partial';
	return { action, tone, done, queued, refused };
}

/** The i18n key suffix of an action (`out-of-service` in URLs, `out_of_service` in keys and the journal). */
export const actionKey = (action: string): string => action.replaceAll('-', '_');
