import { error } from '@sveltejs/kit';
import { StorageUnavailableError } from '../store/storage-errors';

/**
 * Runs a read for a request: when the database cannot answer it, the request gets 503 with code
 * `HMI_ERR_STORAGE` (translated for the user) instead of a bare 500. The server keeps running either way.
 */
export async function fromStorage<T>(read: () => T | Promise<T>): Promise<T> {
	try {
		return await read();
	} catch (err) {
		if (err instanceof StorageUnavailableError) error(503, { message: err.message, code: err.code });
		throw err;
	}
}
