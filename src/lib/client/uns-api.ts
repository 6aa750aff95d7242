/** The browser's side of the UNS write endpoints. Failures come back as i18n keys. */
import { send } from './api';

export interface PublishInput {
	topic: string;
	payload: string;
	qos: 0 | 1 | 2;
	retain: boolean;
}

export type WriteResult = { ok: true; action: string } | { ok: false; key: string };

async function post(url: string, body: unknown, fetchFn: typeof fetch): Promise<WriteResult> {
	const res = await send(url, {
		method: 'POST',
		json: body,
		fetchFn,
		fallbackKey: 'uns.error.failed',
		networkKey: 'uns.error.network',
		// This screen names what is away (the broker or the Sparkplug host) and what was refused (the input).
		keys: { HMI_ERR_BAD_REQUEST: 'uns.error.invalid', HMI_ERR_UNAVAILABLE: 'uns.error.unavailable' }
	});
	if (!res.ok) return { ok: false, key: res.key };
	const action = (res.body as { action?: unknown } | undefined)?.action;
	return { ok: true, action: typeof action === 'string' ? action : '' };
}

export const publishTopic = (input: PublishInput, fetchFn: typeof fetch = fetch) => post('/api/uns/publish', input, fetchFn);
export const requestRebirth = (group: string, edge: string, fetchFn: typeof fetch = fetch) => post('/api/uns/rebirth', { group, edge }, fetchFn);

/** Topic rules the server checks too, so the form can say what is wrong before sending. */
export function topicProblem(topic: string): string | null {
	if (!topic) return 'uns.publish.topicEmpty';
	if (/[+#]/.test(topic)) return 'uns.publish.topicWildcard';
	if (topic.startsWith('/') || topic.endsWith('/') || topic.includes('//')) return 'uns.publish.topicEmptyLevel';
	if (topic.startsWith('$')) return 'uns.publish.topicSystem';
	return null;
}
