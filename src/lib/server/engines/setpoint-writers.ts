import type { MqttClient } from 'mqtt';
import type { Clock } from '../clock';
import type { OpcuaConnector } from '../connectors/opcua';
import { publishConfirmed } from '../connectors/mqtt-publish';
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
		// Taken back if unconfirmed in time (3.1.1 has no message expiry); the consumer's age check backs this up.
		await publishConfirmed(client, target.commandTopic, JSON.stringify({ value, timestamp_ms: clock.now() }), { qos: 1, retain: false }, MQTT_COMMAND_TIMEOUT_MS);
	};
}
