import type { IClientOptions, MqttClient } from 'mqtt';
import { randomBytes } from 'node:crypto';
import { backoffPolicy, type Backoff, type BackoffPolicy } from '$lib/shared/backoff';

/**
 * The reconnect policy of the HMI's MQTT clients: the shared one, capped at 5 s — the broker is the plant's
 * data path, and only a few HMI instances share it.
 */
export const MQTT_BACKOFF: BackoffPolicy = backoffPolicy({ maxMs: 5_000 });

/**
 * The mqtt.js options every HMI client uses: a random client id with a prefix per role (a fixed one would
 * make two HMI instances on one broker kick each other off), a clean session re-subscribed on every
 * reconnect, and a 5 s connect timeout. The reconnect wait is set per outage by `reconnectWithBackoff`.
 */
export function hmiMqttOptions(opts: { clientIdPrefix: string; username?: string; password?: string }): IClientOptions {
	return {
		clientId: `${opts.clientIdPrefix}${randomBytes(4).toString('hex')}`,
		username: opts.username,
		password: opts.password,
		reconnectPeriod: MQTT_BACKOFF.initialMs,
		connectTimeout: 5000,
		clean: true,
		resubscribe: true
	};
}

/**
 * Makes mqtt.js wait by `backoff` between reconnect attempts instead of its fixed `reconnectPeriod`.
 *
 * mqtt.js reads `options.reconnectPeriod` when it schedules the next attempt, which it does either from its
 * own 'close' listener (added when the client was made) or, when it drops the connection itself (connect or
 * keep-alive timeout), right after emitting 'offline'. So the wait is set in a 'close' listener put in
 * front of mqtt.js's, or on 'offline' when that comes first — once per lost connection or failed attempt.
 * @param now clock for the backoff's up time, ms
 */
export function reconnectWithBackoff(client: MqttClient, backoff: Backoff, now: () => number): void {
	let waitSet = false;
	const setWait = () => {
		if (waitSet) return;
		waitSet = true;
		// 0 would switch reconnecting off for good.
		client.options.reconnectPeriod = Math.max(1, backoff.nextDelay(now()));
	};
	client.prependListener('close', setWait);
	client.prependListener('offline', setWait);
	client.on('reconnect', () => (waitSet = false));
	client.on('connect', () => {
		waitSet = false;
		backoff.connected(now());
	});
}
