import { describe, expect, test } from 'vitest';
import en from '$locales/en.json';
import nl from '$locales/nl.json';
import { ROLES } from './roles';
import { checkPassword, checkUsername, CLI_ACTOR, isReservedActorName } from './user-rules';

describe('checkUsername', () => {
	test.each([
		['ab', null],
		['anna.de-vries_2', null],
		['a', 'HMI_ERR_USER_BAD_NAME'],
		['-anna', 'HMI_ERR_USER_BAD_NAME'],
		['anna vries', 'HMI_ERR_USER_BAD_NAME'],
		['a'.repeat(64), null],
		['a'.repeat(65), 'HMI_ERR_USER_BAD_NAME'],
		['command-line', 'HMI_ERR_USER_RESERVED_NAME'],
		['Command-Line', 'HMI_ERR_USER_RESERVED_NAME'],
		['SYSTEM', 'HMI_ERR_USER_RESERVED_NAME'],
		['systeem', 'HMI_ERR_USER_RESERVED_NAME'],
		['systems', null],
		['command-line-2', null]
	])('%s → %s', (name, problem) => expect(checkUsername(name)).toBe(problem));

	test('the journal\'s word for a change no user made is reserved in every language', () => {
		for (const locale of [en, nl]) expect(isReservedActorName(locale.alarms.journal.system), locale.alarms.journal.system).toBe(true);
		expect(isReservedActorName(CLI_ACTOR)).toBe(true);
	});

	test('the demo users (one per role) pass the user name rules', () => {
		for (const role of ROLES) expect(checkUsername(role), role).toBeNull();
	});
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
