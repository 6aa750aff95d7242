import { createLogger } from '../log';

/** A logger for tests that prints nothing. */
export const silentLog = createLogger('silent');
