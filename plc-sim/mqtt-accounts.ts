/**
 * Signing in to the broker. The HMI's embedded broker lets no client in without an account, and each
 * account may publish only its own part of the namespace. The HMI writes the accounts to
 * `<DATA_DIR>/mqtt-accounts.json` on its first start; the simulator plays three kinds of plant clients
 * and signs each in with its own account:
 *   `line-<line>`    the line's controller (line 2's tags, its commands)
 *   `sparkplug`      the Sparkplug B edge node
 *   `uns-publisher`  the load mode (topics outside the plant)
 * Against another broker, `PLC_SIM_MQTT_USERNAME` / `PLC_SIM_MQTT_PASSWORD` sign every client in as one user.
 */
import fs from 'node:fs';
import { SimError } from './errors.js';

export interface MqttLogin {
	username: string;
	password: string;
}

/** Where the simulator's clients find their credentials (the HMI's BrokerAccounts has this shape too). */
export interface MqttAccounts {
	/** Throws when there is no such account. */
	credentials(account: string): MqttLogin;
}

export const lineAccount = (line: string): string => `line-${line}`;
export const SPARKPLUG_ACCOUNT = 'sparkplug';
export const LOAD_ACCOUNT = 'uns-publisher';

/** How long the simulator waits for the HMI to write its accounts file (they start side by side), ms. */
export const ACCOUNTS_FILE_WAIT_MS = 60_000;

/** The credentials of `account`, or none (anonymous) when no accounts were given. */
export function loginFor(accounts: MqttAccounts | undefined, account: string): Partial<MqttLogin> {
	return accounts ? accounts.credentials(account) : {};
}

/** One user for every client (another broker's user, from the environment). */
export function singleLogin(username: string, password: string): MqttAccounts {
	return { credentials: () => ({ username, password }) };
}

/** Reads the HMI's accounts file, waiting for it to appear; throws `SIM_ERR_BAD_OPTION` when it never does or is unreadable. */
export async function readAccountsFile(file: string, waitMs = ACCOUNTS_FILE_WAIT_MS): Promise<MqttAccounts> {
	const deadline = Date.now() + waitMs;
	while (!fs.existsSync(file)) {
		if (Date.now() > deadline) throw new SimError('SIM_ERR_BAD_OPTION', `MQTT accounts file ${file} did not appear within ${waitMs / 1000} s (the HMI writes it when it starts)`);
		await new Promise((r) => setTimeout(r, 200));
	}
	let accounts: Record<string, { password?: unknown }>;
	try {
		accounts = (JSON.parse(fs.readFileSync(file, 'utf8')) as { accounts: Record<string, { password?: unknown }> }).accounts;
		if (typeof accounts !== 'object' || accounts === null) throw new Error('no "accounts" object');
	} catch (err) {
		throw new SimError('SIM_ERR_BAD_OPTION', `MQTT accounts file ${file} is unreadable: ${(err as Error).message}`);
	}
	return {
		credentials(account) {
			const password = accounts[account]?.password;
			if (typeof password !== 'string') throw new SimError('SIM_ERR_BAD_OPTION', `MQTT accounts file ${file} has no account "${account}"`);
			return { username: account, password };
		}
	};
}
