import { expect, test } from 'vitest';
import { connectionView } from './connection-view';

test.each([
	[{ status: 'open', synced: true, failures: 0, sessionEnded: false, browserOffline: false }, 'online'],
	[{ status: 'open', synced: false, failures: 0, sessionEnded: false, browserOffline: false }, 'connecting'],
	[{ status: 'closed', synced: false, failures: 0, sessionEnded: false, browserOffline: false }, 'connecting'],
	[{ status: 'connecting', synced: false, failures: 0, sessionEnded: false, browserOffline: false }, 'connecting'],
	[{ status: 'closed', synced: false, failures: 1, sessionEnded: false, browserOffline: false }, 'reconnecting'],
	[{ status: 'connecting', synced: false, failures: 2, sessionEnded: false, browserOffline: false }, 'reconnecting'],
	[{ status: 'closed', synced: false, failures: 3, sessionEnded: false, browserOffline: false }, 'offline'],
	[{ status: 'closed', synced: false, failures: 0, sessionEnded: true, browserOffline: false }, 'offline'],
	// No network: offline at once, even before any attempt failed or while the old socket still looks open.
	[{ status: 'closed', synced: false, failures: 0, sessionEnded: false, browserOffline: true }, 'offline'],
	[{ status: 'open', synced: true, failures: 0, sessionEnded: false, browserOffline: true }, 'offline']
] as const)('%o → %s', (live, expected) => {
	expect(connectionView(live)).toBe(expected);
});
