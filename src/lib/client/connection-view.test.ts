import { expect, test } from 'vitest';
import { connectionView } from './connection-view';

test.each([
	[{ status: 'open', synced: true, failures: 0, sessionEnded: false }, 'online'],
	[{ status: 'open', synced: false, failures: 0, sessionEnded: false }, 'connecting'],
	[{ status: 'closed', synced: false, failures: 0, sessionEnded: false }, 'connecting'],
	[{ status: 'connecting', synced: false, failures: 0, sessionEnded: false }, 'connecting'],
	[{ status: 'closed', synced: false, failures: 1, sessionEnded: false }, 'reconnecting'],
	[{ status: 'connecting', synced: false, failures: 2, sessionEnded: false }, 'reconnecting'],
	[{ status: 'closed', synced: false, failures: 3, sessionEnded: false }, 'offline'],
	[{ status: 'closed', synced: false, failures: 0, sessionEnded: true }, 'offline']
] as const)('%o → %s', (live, expected) => {
	expect(connectionView(live)).toBe(expected);
});
