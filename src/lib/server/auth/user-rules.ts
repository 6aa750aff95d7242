/** What a user name and a password must be. Pure, so the rules are tested as a table. */

/** Shortest password an admin may set: long passphrases beat complexity rules (NIST SP 800-63B). */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest password accepted (scrypt cost grows with it). */
export const MAX_PASSWORD_LENGTH = 256;
const USERNAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]{1,63}$/;

/** Who the audit log names for a user created from the command line. */
export const CLI_ACTOR = 'command-line';

/**
 * Names the server writes for actors that are not users: the command line in the audit log, and the word the
 * alarm journal shows (in each language, `alarms.journal.system`) for changes no user made. A user with one of
 * these names could not be told apart from them, so none may be a user name (compared without case, as user
 * names are unique without case). Any new non-user actor name belongs here too.
 */
export const RESERVED_ACTOR_NAMES: readonly string[] = [CLI_ACTOR, 'system', 'systeem'];

/** True when `username` is one of RESERVED_ACTOR_NAMES, in any case. */
export function isReservedActorName(username: string): boolean {
	return RESERVED_ACTOR_NAMES.includes(username.trim().toLowerCase());
}

export type UserRuleProblem =
	| 'HMI_ERR_USER_BAD_NAME'
	| 'HMI_ERR_USER_RESERVED_NAME'
	| 'HMI_ERR_PASSWORD_TOO_SHORT'
	| 'HMI_ERR_PASSWORD_TOO_LONG'
	| 'HMI_ERR_PASSWORD_IS_NAME';

/** 2–64 letters, digits, `.`, `_` or `-`, starting with a letter or digit, and not a reserved actor name. */
export function checkUsername(username: string): UserRuleProblem | null {
	if (!USERNAME.test(username)) return 'HMI_ERR_USER_BAD_NAME';
	return isReservedActorName(username) ? 'HMI_ERR_USER_RESERVED_NAME' : null;
}

/** Why `password` may not be set for `username`, or null. Length counts characters, not bytes. */
export function checkPassword(username: string, password: string): UserRuleProblem | null {
	const length = [...password].length;
	if (length < MIN_PASSWORD_LENGTH) return 'HMI_ERR_PASSWORD_TOO_SHORT';
	if (length > MAX_PASSWORD_LENGTH) return 'HMI_ERR_PASSWORD_TOO_LONG';
	if (password.trim().toLowerCase() === username.trim().toLowerCase()) return 'HMI_ERR_PASSWORD_IS_NAME';
	return null;
}
