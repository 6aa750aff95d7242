import { z } from 'zod';
import { checkPath, COMMAND_ROOT, derivedNamespace, isBrokerTopic, SPARKPLUG_ROOT } from '$lib/shared/uns-path';

/** Largest payload the browser may publish, in UTF-8 bytes. */
export const MAX_PUBLISH_BYTES = 64 * 1024;

const topic = z.string().superRefine((t, ctx) => {
	const check = checkPath(t);
	if (!check.ok) ctx.addIssue({ code: 'custom', message: check.reason });
	else if (isBrokerTopic(t)) ctx.addIssue({ code: 'custom', message: 'topics starting with $ belong to the broker' });
});

export const publishBody = z.object({
	topic,
	payload: z.string().refine((p) => Buffer.byteLength(p, 'utf8') <= MAX_PUBLISH_BYTES, `at most ${MAX_PUBLISH_BYTES} bytes`),
	qos: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(0),
	retain: z.boolean().default(false)
});
export type PublishBody = z.infer<typeof publishBody>;

/** One Sparkplug id level: no separators or wildcards. */
const sparkplugId = z
	.string()
	.min(1)
	.max(200)
	.regex(/^[^/+#]+$/, 'no /, + or #');
export const rebirthBody = z.object({ group: sparkplugId, edge: sparkplugId });

/** An empty retained message removes the topic's retained value: audited as a clear, not a publish. */
export function publishAction(body: PublishBody): 'uns.clear' | 'uns.publish' {
	return body.retain && body.payload === '' ? 'uns.clear' : 'uns.publish';
}

/**
 * Why a topic is not the UNS browser's to publish on, or null. Commands to the plant go through the
 * setpoint service (role, range, confirm and audit); alarms, KPIs and system tags are the engines' alone;
 * a plant tag belongs to its line's source; Sparkplug topics to edge nodes and hosts (a rebirth has its
 * own request). A publish here would pass none of the checks those owners make.
 */
export type ProtectedTopic = 'command' | 'derived' | 'plant-tag' | 'sparkplug';
export function protectedTopic(topic: string, ownerOf: (path: string) => string | undefined): ProtectedTopic | null {
	const first = topic.split('/', 1)[0];
	if (first === COMMAND_ROOT) return 'command';
	if (first === SPARKPLUG_ROOT) return 'sparkplug';
	if (derivedNamespace(topic) !== null) return 'derived';
	if (ownerOf(topic) !== undefined) return 'plant-tag';
	return null;
}
