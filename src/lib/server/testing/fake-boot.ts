import type { BootClock } from '../boot-clock';
import type { FakeClock } from './fake-clock';

/**
 * The machine's boot for tests, on a FakeClock's monotonic time: a server started again on the same clock is
 * a restart on the same boot; `reboot()` starts a new boot (its own id, its time since boot from zero).
 */
export class FakeBoot implements BootClock {
	#boots = 1;
	#origin: number;

	constructor(private readonly clock: FakeClock) {
		this.#origin = clock.monotonic() - 3600_000; // booted an hour before the test starts
	}

	bootId = (): string => `fake-boot-${this.#boots}`;
	sinceBootMs = (): number => this.clock.monotonic() - this.#origin;

	reboot(): void {
		this.#boots++;
		this.#origin = this.clock.monotonic();
	}
}
