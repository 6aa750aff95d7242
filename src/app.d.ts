import type { SessionUser } from '$lib/server/auth/auth-service';

declare global {
	namespace App {
		interface Locals {
			/** The signed-in user, filled by hooks.server.ts; null when there is no valid session. */
			user: SessionUser | null;
		}
		interface Error {
			message: string;
			code?: string;
		}
	}
}

export {};
