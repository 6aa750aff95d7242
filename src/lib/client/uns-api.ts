/** The browser's side of the UNS write endpoints. Failures come back as i18n keys. */
import { ErrorCodes, type ErrorCode } from '$lib/shared/protocol';

const KNOWN_CODES: ReadonlySet<string> = new Set(ErrorCodes);
/** Codes whose own text says more than the status's generic one. */
const SPECIFIC: ReadonlySet<ErrorCode> = new Set(['HMI_ERR_UNS_PUBLISH_PROTECTED', 'HMI_ERR_UNS_PUBLISH_TIMEOUT']);

export interface PublishInput {
	topic: string;
	payload: string;
	qos: 0 | 1 | 2;
	retain: boolean;
}

export type WriteResult = { ok: true; action: string } | { ok: false; key: string };

async function post(url: string, body: unknown, fetchFn: typeof fetch): Promise<WriteResult> {
	let res: Response;
	try {
		res = await fetchFn(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
	} catch {
		return { ok: false, key: 'uns.error.network' };
	}
	const data = (await res.json().catch(() => undefined)) as { action?: string; code?: string } | undefined;
	if (res.ok) return { ok: true, action: data?.action ?? '' };
	if (data?.code && KNOWN_CODES.has(data.code) && SPECIFIC.has(data.code as ErrorCode)) return { ok: false, key: `errors.${data.code}` };
	if (res.status === 401) return { ok: false, key: 'errors.HMI_ERR_UNAUTHORIZED' };
	if (res.status === 403) return { ok: false, key: 'errors.HMI_ERR_FORBIDDEN' };
	if (res.status === 400) return { ok: false, key: 'uns.error.invalid' };
	if (res.status === 503) return { ok: false, key: 'uns.error.unavailable' };
	return { ok: false, key: 'uns.error.failed' };
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
