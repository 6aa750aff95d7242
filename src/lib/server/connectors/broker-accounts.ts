import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BrokerAccountSpec } from '../domain/plant/broker-acl';

/** The embedded broker's accounts, in the data folder (mode 0600): user names and generated passwords. */
export const BROKER_ACCOUNTS_FILE = 'mqtt-accounts.json';

export interface BrokerCredentials {
	username: string;
	password: string;
}

interface AccountsFile {
	$comment?: string;
	accounts: Record<string, { password: string; purpose?: string }>;
}

const COMMENT =
	'Accounts of the embedded MQTT broker, made on first start (one per plant model role). Give a publisher its own account; a password may be changed here (restart the HMI). Keep this file secret.';

/**
 * The accounts of the embedded broker: every account the plant model calls for, each with the password
 * kept in `<dataDir>/mqtt-accounts.json`. A missing account gets a random password the first time; the
 * file is written with mode 0600 and tightened to it when found looser.
 */
export class BrokerAccounts {
	readonly #specs = new Map<string, BrokerAccountSpec>();
	readonly #passwords = new Map<string, Buffer>();
	/** Where the credentials are, for the simulator and other local clients (`--mqtt-accounts`). */
	readonly file: string;

	private constructor(file: string, specs: readonly BrokerAccountSpec[], passwords: Record<string, string>) {
		this.file = file;
		for (const spec of specs) {
			this.#specs.set(spec.username, spec);
			this.#passwords.set(spec.username, Buffer.from(passwords[spec.username], 'utf8'));
		}
	}

	/** Reads the file, adds what the plant model calls for and the file lacks, and writes it back if it changed. */
	static load(dataDir: string, specs: readonly BrokerAccountSpec[]): BrokerAccounts {
		const file = path.join(dataDir, BROKER_ACCOUNTS_FILE);
		const existing = readAccounts(file);
		let changed = existing === undefined;
		const accounts: AccountsFile['accounts'] = { ...existing?.accounts };
		for (const spec of specs) {
			const known = accounts[spec.username];
			const password = typeof known?.password === 'string' && known.password.length > 0 ? known.password : randomBytes(24).toString('base64url');
			if (password === known?.password && known.purpose === spec.purpose) continue;
			accounts[spec.username] = { password, purpose: spec.purpose };
			changed = true;
		}
		if (changed) writePrivate(file, `${JSON.stringify({ $comment: COMMENT, accounts }, null, '\t')}\n`);
		else if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
		return new BrokerAccounts(file, specs, Object.fromEntries(Object.entries(accounts).map(([name, a]) => [name, a.password])));
	}

	/** The account whose user name and password these are, or undefined. Constant-time in the password. */
	verify(username: string | undefined, password: Buffer | undefined): BrokerAccountSpec | undefined {
		if (username === undefined || password === undefined) return undefined;
		const expected = this.#passwords.get(username);
		if (!expected || expected.length !== password.length || !timingSafeEqual(expected, password)) return undefined;
		return this.#specs.get(username);
	}

	/** User name and password of an account, for the HMI's own clients and for tests. */
	credentials(username: string): BrokerCredentials {
		const password = this.#passwords.get(username);
		if (!password) throw new Error(`no broker account "${username}"`);
		return { username, password: password.toString('utf8') };
	}
}

function readAccounts(file: string): AccountsFile | undefined {
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw err;
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		throw new Error(`${file} is not valid JSON; fix it or delete it to have new passwords made`);
	}
	if (typeof parsed !== 'object' || parsed === null || typeof (parsed as AccountsFile).accounts !== 'object' || (parsed as AccountsFile).accounts === null)
		throw new Error(`${file} has no "accounts" object; fix it or delete it to have new passwords made`);
	return parsed as AccountsFile;
}

/** Writes a file only its owner can read, in a folder only its owner can enter; atomically (rename). */
function writePrivate(file: string, text: string): void {
	fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
	const temp = `${file}.${process.pid}.tmp`;
	fs.writeFileSync(temp, text, { mode: 0o600 });
	fs.renameSync(temp, file);
}
