/** What a user name and a password must be. Pure, so the rules are tested as a table. */

/** Shortest password an admin may set: long passphrases beat complexity rules (NIST SP 800-63B). */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest password accepted (scrypt cost grows with it). */
export const MAX_PASSWORD_LENGTH = 256;
const USERNAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]{1,63}$/;

export type UserRuleProblem =
	| 'HMI_ERR_USER_BAD_NAME'
	| 'HMI_ERR_PASSWORD_TOO_SHORT'
	| 'HMI_ERR_PASSWORD_TOO_LONG'
	| 'HMI_ERR_PASSWORD_IS_NAME';

/** 2–64 letters, digits, `.`, `_` or `-`, starting with a letter or digit. */
export function checkUsername(username: string): UserRuleProblem | null {
	return USERNAME.test(username) ? null : 'HMI_ERR_USER_BAD_NAME';
}

/** Why `password` may not be set for `username`, or null. Length counts characters, not bytes. */
export function checkPassword(username: string, password: string): UserRuleProblem | null {
	const length = [...password].length;
	if (length < MIN_PASSWORD_LENGTH) return 'HMI_ERR_PASSWORD_TOO_SHORT';
	if (length > MAX_PASSWORD_LENGTH) return 'HMI_ERR_PASSWORD_TOO_LONG';
	if (password.trim().toLowerCase() === username.trim().toLowerCase()) return 'HMI_ERR_PASSWORD_IS_NAME';
	return null;
}
