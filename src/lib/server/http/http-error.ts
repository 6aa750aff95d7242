import { error } from '@sveltejs/kit';
import { errorStatus, type HttpErrorCode } from '$lib/shared/errors';

/**
 * The one way a route or guard refuses a request: throws SvelteKit's HTTP error with the code's own status
 * (src/lib/shared/errors.ts) and the body `{message, code, ...extra}`. The code is for programs and tests,
 * the message for whoever reads the logs; the browser shows the translated `errors.<code>`.
 * @param message for people reading the answer or the logs; the code itself when left out
 * @param extra more fields for the body (never `message` or `code`)
 */
export function httpError(code: HttpErrorCode, message: string = code, extra: Record<string, unknown> = {}): never {
	// App.Error declares message and code; the extra fields travel in the same JSON body.
	error(errorStatus(code), { ...extra, message, code } as App.Error);
}

/** The same answer as a Response, for code that answers before any route runs (hooks). */
export function httpErrorResponse(code: HttpErrorCode, message: string = code, headers?: HeadersInit): Response {
	return Response.json({ message, code }, { status: errorStatus(code), headers });
}
