import type { SessionUser } from '$lib/server/auth/auth-service';
import type { ErrorCode } from '$lib/shared/errors';

declare global {
	namespace App {
		interface Locals {
			/** The signed-in user, filled by hooks.server.ts; null when there is no valid session. */
			user: SessionUser | null;
		}
		interface Error {
			message: string;
			/** Set by httpError(); left out by SvelteKit's own answers (a 404 for a page that does not exist). */
			code?: ErrorCode;
		}
	}
}

export {};
