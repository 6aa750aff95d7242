import { z } from 'zod';
import { MAX_ALARM_TEXT, type AlarmActionName } from '$lib/shared/alarm-api';
import type { Permission } from '$lib/shared/permissions';
import type { OperatorEvent } from '../engines/alarm-service';

const text = z.string().trim().max(MAX_ALARM_TEXT);
const required = text.min(1);
const id = z.string().min(1).max(1024);

/** One action: who may, what the body must be, and the engine events the parsed body becomes. */
interface AlarmActionSpec<Body = unknown> {
	permission: Permission;
	body: z.ZodType<Body>;
	// A method, so that specs of different bodies fit one table (method parameters are compared bivariantly).
	events(body: Body, user: string): [string, OperatorEvent][];
}

/** Types `events` by what its body schema parses, so the two cannot drift apart. */
function action<Body>(spec: AlarmActionSpec<Body>): AlarmActionSpec {
	return spec;
}

/** For each action: who may, what the body must be, and the engine events it becomes. */
export const ALARM_ACTION_SPECS: Record<AlarmActionName, AlarmActionSpec> = {
	ack: action({
		permission: 'alarm.ack',
		body: z.object({ ids: z.array(id).min(1).max(1000), comment: text.optional() }),
		events: (b, user) =>
			[...new Set(b.ids)].map((i) => [i, { type: 'ack', user, comment: b.comment || undefined }])
	}),
	shelve: action({
		permission: 'alarm.shelve',
		body: z.union([
			z.object({ id, reason: required, minutes: z.number().positive() }),
			z.object({ id, reason: required, oneShot: z.literal(true) })
		]),
		events: (b, user) => [
			[b.id, { type: 'shelve', user, reason: b.reason, durationMs: 'minutes' in b ? Math.round(b.minutes * 60_000) : null }]
		]
	}),
	unshelve: action({
		permission: 'alarm.shelve',
		body: z.object({ id }),
		events: (b, user) => [[b.id, { type: 'unshelve', user }]]
	}),
	'out-of-service': action({
		permission: 'alarm.out_of_service',
		body: z.object({ id, reason: required }),
		events: (b, user) => [[b.id, { type: 'out_of_service', user, reason: b.reason }]]
	}),
	'return-to-service': action({
		permission: 'alarm.out_of_service',
		body: z.object({ id }),
		events: (b, user) => [[b.id, { type: 'return_to_service', user }]]
	}),
	reset: action({
		permission: 'alarm.reset',
		body: z.object({ id }),
		events: (b, user) => [[b.id, { type: 'reset', user }]]
	})
};
