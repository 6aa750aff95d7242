import type { Quality, TagValue } from '$lib/shared/protocol';

/**
 * The one normalised event: every source (MQTT, OPC UA, derived engines) turns what it receives into this.
 * Times are epoch milliseconds.
 */
export interface TagUpdate {
	/** UNS path, e.g. `acme/utrecht/packaging/line1/filler/speed`. */
	path: string;
	value: TagValue;
	quality: Quality;
	/** When the source says the value was measured. */
	sourceTs: number;
	/** When this server received it. */
	serverTs: number;
	/** Which source it came from (`mqtt`, `opcua-line1`, `oee`, …). */
	origin: string;
}
