import fs from 'node:fs';
import os from 'node:os';
import type { Clock } from './clock';

/**
 * The machine's time since it booted. Unlike the wall clock it never jumps, and unlike a process's monotonic
 * clock it goes on across a restart of the server, so a start can tell whether the wall clock jumped while
 * the server was down (as long as the machine did not reboot).
 */
export interface BootClock {
	/** Identifies this boot of the machine; null where the system does not say. */
	bootId(): string | null;
	/** ms since the machine booted, time in suspend included. */
	sinceBootMs(): number;
}

/** Linux names each boot here. */
const BOOT_ID_FILE = '/proc/sys/kernel/random/boot_id';

let bootId: string | null | undefined;

export const systemBootClock: BootClock = {
	bootId() {
		if (bootId === undefined) {
			try {
				bootId = fs.readFileSync(BOOT_ID_FILE, 'utf8').trim() || null;
			} catch {
				bootId = null; // not Linux: only a step back can be found at start
			}
		}
		return bootId;
	},
	// /proc/uptime on Linux (CLOCK_BOOTTIME, 10 ms steps): plenty against a one-minute jump threshold.
	sinceBootMs: () => os.uptime() * 1000
};

/**
 * For a clock other than the system's (a test's fake clock): its monotonic time, and no boot id, so a start
 * never compares it with the machine's real time since boot (only a step back is found, against the last note).
 */
export function anonymousBootClock(clock: Pick<Clock, 'monotonic'>): BootClock {
	return { bootId: () => null, sinceBootMs: () => clock.monotonic() };
}
