import type { MqttClient } from 'mqtt';
import { systemClock, type Clock } from '../clock';

/** No confirmation (PUBACK/PUBCOMP) arrived in time; the message was taken back and will not be sent later. */
export class PublishTimeoutError extends Error {
	override name = 'PublishTimeoutError';
}

type PublishCallback = (err?: Error | null) => void;

/**
 * Publishes with QoS 1 or 2 and waits for the broker's confirmation. Without one in `timeoutMs` the message
 * is taken back out of mqtt.js: otherwise mqtt.js re-sends it after the next reconnect (it flushes only QoS 0
 * on close), and a write the user was told had failed would still reach the plant minutes later.
 * Rejects with PublishTimeoutError on timeout, with mqtt.js's error when the broker refuses.
 */
export function publishConfirmed(
	client: MqttClient,
	topic: string,
	payload: string | Buffer,
	options: { qos: 1 | 2; retain: boolean },
	timeoutMs: number,
	clock: Pick<Clock, 'setTimeout' | 'clearTimeout'> = systemClock
): Promise<void> {
	return new Promise<void>((resolve, reject) => {
		let settled = false;
		const confirmed: PublishCallback = (err) => {
			if (settled) return;
			settled = true;
			clock.clearTimeout(timer);
			if (err) reject(err);
			else resolve();
		};
		const timer = clock.setTimeout(() => {
			if (settled) return;
			settled = true;
			withdraw(client, confirmed);
			reject(new PublishTimeoutError(`no confirmation from the broker within ${timeoutMs} ms`));
		}, timeoutMs);
		client.publish(topic, payload, options, confirmed);
	});
}

/**
 * Removes the publish whose callback is `callback` from mqtt.js: from the outgoing store once it has a
 * message id (mqtt.js hands the id to no one before the confirmation, so the callback identifies it), else
 * from the queue of publishes waiting while mqtt.js replays its store after a reconnect (not in its typings).
 */
function withdraw(client: MqttClient, callback: PublishCallback): void {
	for (const [id, entry] of Object.entries(client.outgoing)) if (entry.cb === callback) client.removeOutgoingMessage(Number(id));
	const waiting = (client as unknown as { _storeProcessingQueue?: { callback?: unknown }[] })._storeProcessingQueue;
	if (!waiting) return;
	for (let i = waiting.length - 1; i >= 0; i--) if (waiting[i].callback === callback) waiting.splice(i, 1);
}
