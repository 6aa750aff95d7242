import type { MqttClient } from 'mqtt';
import type { Clock } from '../clock';
import type { OpcuaConnector } from '../connectors/opcua';
import type { SetpointWriter } from './setpoint-service';

/** Longest a command publish may wait for the broker's PUBACK, ms. */
export const MQTT_COMMAND_TIMEOUT_MS = 5000;

/**
 * The writer for every line: OPC UA lines write the setpoint node on their connector; MQTT lines publish
 * `{"value", "timestamp_ms"}` with QoS 1 (not retained: a command must act once) on the command topic.
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
		const payload = JSON.stringify({ value, timestamp_ms: clock.now() });
		let timer: NodeJS.Timeout | undefined;
		try {
			await Promise.race([
				client.publishAsync(target.commandTopic, payload, { qos: 1, retain: false }),
				new Promise<never>((_, reject) => {
					timer = setTimeout(() => reject(new Error(`no PUBACK within ${MQTT_COMMAND_TIMEOUT_MS} ms`)), MQTT_COMMAND_TIMEOUT_MS);
				})
			]);
		} finally {
			clearTimeout(timer);
		}
	};
}
