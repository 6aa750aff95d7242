import type { LiveClient } from './live.svelte';

/** What the connection indicator tells the user about the tab's live link. */
export type ConnectionView = 'online' | 'connecting' | 'reconnecting' | 'offline';

/** Failed attempts in a row after which "reconnecting" is called what it is: offline. */
export const OFFLINE_AFTER_FAILURES = 3;

export function connectionView(
	live: Pick<LiveClient, 'status' | 'synced' | 'failures' | 'sessionEnded' | 'browserOffline'>
): ConnectionView {
	// The device has no network: offline at once, whatever the socket still looks like.
	if (live.browserOffline) return 'offline';
	if (live.status === 'open') return live.synced ? 'online' : 'connecting';
	if (live.sessionEnded || live.failures >= OFFLINE_AFTER_FAILURES) return 'offline';
	return live.failures === 0 ? 'connecting' : 'reconnecting';
}
