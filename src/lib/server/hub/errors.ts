import type { ErrorCode, ServerMessage } from '$lib/shared/protocol';

/** The one way the hub words an error frame: a stable code for programs, a sentence for people. */
export function errorFrame(code: ErrorCode, message: string, ref?: number): string {
	const frame: ServerMessage = ref === undefined ? { type: 'error', code, message } : { type: 'error', code, message, ref };
	return JSON.stringify(frame);
}
