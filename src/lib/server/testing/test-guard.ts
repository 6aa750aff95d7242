import type { Clock } from '../clock';
import type { Db } from '../store/db';
import { StorageGuard } from '../store/storage-guard';
import { FakeClock } from './fake-clock';
import { silentLog } from './silent-log';

/** The storage gate for a test's database (its retry timer runs only when the test's clock advances). */
export function testGuard(db: Db, clock: Clock = new FakeClock()): StorageGuard {
	return new StorageGuard(db, clock, silentLog);
}
