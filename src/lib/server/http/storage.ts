import { StorageUnavailableError } from '../store/storage-errors';
import { httpError } from './http-error';

/**
 * Runs a read for a request: when the database cannot answer it, the request gets 503 with code
 * `HMI_ERR_STORAGE` (translated for the user) instead of a bare 500. The server keeps running either way.
 */
export async function fromStorage<T>(read: () => T | Promise<T>): Promise<T> {
	try {
		return await read();
	} catch (err) {
		if (err instanceof StorageUnavailableError) httpError(err.code, err.message);
		throw err;
	}
}
