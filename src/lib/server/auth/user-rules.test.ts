import { describe, expect, test } from 'vitest';
import { checkPassword, checkUsername } from './user-rules';

describe('checkUsername', () => {
	test.each([
		['ab', null],
		['anna.de-vries_2', null],
		['a', 'HMI_ERR_USER_BAD_NAME'],
		['-anna', 'HMI_ERR_USER_BAD_NAME'],
		['anna vries', 'HMI_ERR_USER_BAD_NAME'],
		['a'.repeat(64), null],
		['a'.repeat(65), 'HMI_ERR_USER_BAD_NAME']
	])('%s → %s', (name, problem) => expect(checkUsername(name)).toBe(problem));
});

describe('checkPassword', () => {
	test.each([
		['anna', '123456789012', null],
		['anna', '12345678901', 'HMI_ERR_PASSWORD_TOO_SHORT'],
		// 12 characters of 2 bytes each: length counts characters.
		['anna', 'éééééééééééé', null],
		['anna', 'p'.repeat(256), null],
		['anna', 'p'.repeat(257), 'HMI_ERR_PASSWORD_TOO_LONG'],
		['operator-one', 'operator-one', 'HMI_ERR_PASSWORD_IS_NAME'],
		['operator-one', 'Operator-One ', 'HMI_ERR_PASSWORD_IS_NAME']
	])('%s / %s → %s', (name, password, problem) => expect(checkPassword(name, password)).toBe(problem));
});
