import type { IClientOptions } from 'mqtt';
import { randomBytes } from 'node:crypto';

/**
 * The mqtt.js options every HMI client uses: a random client id with a prefix per role (a fixed one would
 * make two HMI instances on one broker kick each other off), a clean session re-subscribed on every
 * reconnect, a reconnect each second and a 5 s connect timeout.
 */
export function hmiMqttOptions(opts: { clientIdPrefix: string; username?: string; password?: string }): IClientOptions {
	return {
		clientId: `${opts.clientIdPrefix}${randomBytes(4).toString('hex')}`,
		username: opts.username,
		password: opts.password,
		reconnectPeriod: 1000,
		connectTimeout: 5000,
		clean: true,
		resubscribe: true
	};
}
