import type { ClientMessage } from '$lib/shared/protocol';
import type { ClientSession } from './client-session';
import type { Hub } from './hub';

/**
 * A feature that shares the hub's /ws sockets, such as the UNS browser's feed. It registers with the hub
 * (`Hub.registerChannel`) for the client message types it handles; the hub parses and rate-limits every
 * message before handing one on, and tells the channel when a client goes.
 *
 * The hub stays the only writer to a socket: a channel sends through its `ChannelOutlet` only, so the hub's
 * byte limits and back-pressure (unread.ts) hold for everything on the socket, and the hub's heartbeat is
 * the one that closes a client that does not read.
 */
export interface HubChannel<M extends ClientMessage = ClientMessage> {
	/** For logs and errors. */
	readonly name: string;
	/** The message types it handles; each type belongs to one handler only (the hub's own `sub`, `unsub`, `ping` included). */
	readonly messageTypes: readonly M['type'][];
	/** One parsed message from a client (shape checked, message rate spent). */
	receive(session: ClientSession, msg: M): void;
	/** A client connected. */
	clientOpened?(session: ClientSession): void;
	/** A client's connection has closed: forget it. */
	clientClosed(session: ClientSession): void;
}

/**
 * How a channel sends: `isBehind` before anything large (send nothing while true), `sendFrame` for data,
 * `sendAnswer` for small answers such as errors (counted against the budget of a client that is behind).
 */
export type ChannelOutlet = Pick<Hub, 'isBehind' | 'sendFrame' | 'sendAnswer'>;
