import { z } from 'zod';
import { MAX_ALARM_TEXT, type AlarmActionName } from '$lib/shared/alarm-api';
import type { Permission } from '$lib/shared/permissions';
import type { OperatorEvent } from '../engines/alarm-service';

const text = z.string().trim().max(MAX_ALARM_TEXT);
const required = text.min(1);
const id = z.string().min(1).max(1024);

/** For each action: who may, what the body must be, and the engine events it becomes. */
export const ALARM_ACTION_SPECS: Record<
	AlarmActionName,
	{ permission: Permission; body: z.ZodType; events: (body: any, user: string) => [string, OperatorEvent][] }
> = {
	ack: {
		permission: 'alarm.ack',
		body: z.object({ ids: z.array(id).min(1).max(1000), comment: text.optional() }),
		events: (b: { ids: string[]; comment?: string }, user) =>
			[...new Set(b.ids)].map((i) => [i, { type: 'ack', user, comment: b.comment || undefined }])
	},
	shelve: {
		permission: 'alarm.shelve',
		body: z.union([
			z.object({ id, reason: required, minutes: z.number().positive() }),
			z.object({ id, reason: required, oneShot: z.literal(true) })
		]),
		events: (b: { id: string; reason: string; minutes?: number }, user) => [
			[b.id, { type: 'shelve', user, reason: b.reason, durationMs: b.minutes === undefined ? null : Math.round(b.minutes * 60_000) }]
		]
	},
	unshelve: {
		permission: 'alarm.shelve',
		body: z.object({ id }),
		events: (b: { id: string }, user) => [[b.id, { type: 'unshelve', user }]]
	},
	'out-of-service': {
		permission: 'alarm.out_of_service',
		body: z.object({ id, reason: required }),
		events: (b: { id: string; reason: string }, user) => [[b.id, { type: 'out_of_service', user, reason: b.reason }]]
	},
	'return-to-service': {
		permission: 'alarm.out_of_service',
		body: z.object({ id }),
		events: (b: { id: string }, user) => [[b.id, { type: 'return_to_service', user }]]
	},
	reset: {
		permission: 'alarm.reset',
		body: z.object({ id }),
		events: (b: { id: string }, user) => [[b.id, { type: 'reset', user }]]
	}
};
