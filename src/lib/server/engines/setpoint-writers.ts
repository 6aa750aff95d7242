import type { MqttClient } from 'mqtt';
import type { Clock } from '../clock';
import { OpcuaWriteError, type OpcuaConnector } from '../connectors/opcua';
import { publishConfirmed } from '../connectors/mqtt-publish';
import { SetpointWriteError, type SetpointWriter } from './setpoint-service';

/**
 * The writer for every line: OPC UA lines write the setpoint node on their connector (in the node's own data
 * type; `written` once the server confirms); MQTT lines publish `{"value", "timestamp_ms"}` with QoS 1 (not
 * retained: a command must act once) on the command topic (`sent` once the broker confirms: the machine reports
 * the value in force on its tag). The consumer ignores a command whose `timestamp_ms` is too old
 * (plc-sim: MAX_SETPOINT_COMMAND_AGE_MS).
 * @param timeoutMs how long a write waits for its confirmation before its outcome counts as unknown
 *   (config `SETPOINT_WRITE_TIMEOUT_MS`)
 */
export function setpointWriter(
	opcua: ReadonlyMap<string, OpcuaConnector>,
	mqtt: () => MqttClient,
	clock: Clock,
	timeoutMs: number
): SetpointWriter {
	return async (target, value) => {
		if (target.source === 'opcua') {
			const connector = opcua.get(target.sourceId);
			if (!connector) throw new SetpointWriteError('failed', `no connector for ${target.sourceId}`);
			try {
				await connector.write(target.path, value, timeoutMs);
			} catch (err) {
				throw opcuaFailure(err);
			}
			return 'written';
		}
		const client = mqtt();
		// mqtt.js would queue a QoS 1 publish while offline and send it on reconnect, maybe long after the
		// operator gave up: a setpoint must go now or not at all.
		if (!client.connected) throw new SetpointWriteError('failed', 'not connected to the broker');
		try {
			// Taken back if unconfirmed in time (3.1.1 has no message expiry); the consumer's age check backs this up.
			await publishConfirmed(client, target.commandTopic, JSON.stringify({ value, timestamp_ms: clock.now() }), { qos: 1, retain: false }, timeoutMs);
		} catch (err) {
			// Unconfirmed (timeout, connection lost): the broker may have passed the command on before its answer was
			// lost. Only a broker that says no (an MQTT 5 reason code) tells us nothing went further.
			const reasonCode = (err as { code?: unknown }).code;
			throw new SetpointWriteError(typeof reasonCode === 'number' && reasonCode >= 0x80 ? 'failed' : 'unknown', (err as Error).message);
		}
		return 'sent';
	};
}

/** What an OPC UA write error means for the operator and the audit. */
function opcuaFailure(err: unknown): SetpointWriteError {
	if (!(err instanceof OpcuaWriteError)) return new SetpointWriteError('unknown', (err as Error).message);
	if (err.outcomeUnknown) {
		const readBack = err.readBack?.then((r) => r && { value: r.value, ts: r.ts });
		return new SetpointWriteError('unknown', err.message, { readBack });
	}
	return new SetpointWriteError('failed', err.message, err.reason === 'type_range' ? { code: 'HMI_ERR_SETPOINT_TYPE_RANGE' } : {});
}
