import type { MqttClient } from 'mqtt';
import type { Clock } from '../clock';
import type { OpcuaConnector } from '../connectors/opcua';
import type { SetpointWriter } from './setpoint-service';

/** Longest a command publish may wait for the broker's PUBACK, ms. */
export const MQTT_COMMAND_TIMEOUT_MS = 5000;

/**
 * The writer for every line: OPC UA lines write the setpoint node on their connector; MQTT lines publish
 * `{"value", "timestamp_ms"}` with QoS 1 (not retained: a command must act once) on the command topic.
 * The consumer ignores a command whose `timestamp_ms` is too old (plc-sim: MAX_SETPOINT_COMMAND_AGE_MS).
 */
export function setpointWriter(opcua: ReadonlyMap<string, OpcuaConnector>, mqtt: () => MqttClient, clock: Clock): SetpointWriter {
	return async (target, value) => {
		if (target.source === 'opcua') {
			const connector = opcua.get(target.sourceId);
			if (!connector) throw new Error(`no connector for ${target.sourceId}`);
			await connector.write(target.path, value);
			return;
		}
		const client = mqtt();
		// mqtt.js would queue a QoS 1 publish while offline and send it on reconnect, maybe long after the
		// operator gave up: a setpoint must go now or not at all.
		if (!client.connected) throw new Error('not connected to the broker');
		await publishOrWithdraw(client, target.commandTopic, JSON.stringify({ value, timestamp_ms: clock.now() }), MQTT_COMMAND_TIMEOUT_MS);
	};
}

type PublishCallback = (err?: Error) => void;

/**
 * Publishes with QoS 1 and waits for the PUBACK. Without one in `timeoutMs` the message is taken back out of
 * mqtt.js's outgoing store: otherwise mqtt.js re-sends it after the next reconnect (it flushes only QoS 0 on
 * close), and a write the operator was told had failed would still be applied. (The connector speaks MQTT
 * 3.1.1, so there is no message expiry to lean on; the consumer's age check is the second line of defence.)
 * @param timeoutMs longest wait for the PUBACK
 */
export function publishOrWithdraw(client: MqttClient, topic: string, payload: string, timeoutMs: number): Promise<void> {
	return new Promise<void>((resolve, reject) => {
		let settled = false;
		const acked: PublishCallback = (err) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			if (err) reject(err);
			else resolve();
		};
		const timer = setTimeout(() => {
			if (settled) return;
			settled = true;
			withdraw(client, acked);
			reject(new Error(`no PUBACK within ${timeoutMs} ms`));
		}, timeoutMs);
		client.publish(topic, payload, { qos: 1, retain: false }, acked);
	});
}

/**
 * Removes the QoS 1 publish whose callback is `callback` from mqtt.js: from `outgoing` (with its outgoing store
 * entry) once it has a message id, or from the queue of publishes still waiting for the store. mqtt.js hands
 * the message id to no one before the PUBACK, so the callback identifies the message.
 */
function withdraw(client: MqttClient, callback: PublishCallback): void {
	for (const [id, entry] of Object.entries(client.outgoing)) {
		if (entry.cb === callback) {
			client.removeOutgoingMessage(Number(id));
			return;
		}
	}
	const queue = (client as unknown as { _storeProcessingQueue?: { callback?: unknown }[] })._storeProcessingQueue;
	const queued = queue?.findIndex((item) => item.callback === callback) ?? -1;
	if (queue && queued >= 0) queue.splice(queued, 1);
}
