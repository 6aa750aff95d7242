// Creates a user in the HMI's database — how the first admin is made outside demo mode.
//   npm run create-user -- <name> <role>        (role: operator, maintenance, manager or admin)
// The password is asked for twice without echo, or read from standard input when that is not a terminal
// (`printf '%s' "$PW" | npm run create-user -- anna admin`); never from the command line, where it would
// end up in the shell history and the process list. DATA_DIR says which database (default: data).
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { readConfig } from '../src/lib/server/config';
import { createLogger } from '../src/lib/server/log';
import { createUserInDataDir } from '../src/lib/server/auth/create-user';

const [username, role] = process.argv.slice(2);
if (!username || !role) {
	console.error('usage: npm run create-user -- <name> <operator|maintenance|manager|admin>');
	process.exit(2);
}

const password = process.stdin.isTTY ? await askTwice() : (await readAll()).replace(/\r?\n$/, '');
const config = readConfig();
const result = await createUserInDataDir(config, createLogger('warn'), username, role, password);
if (!result.ok) {
	console.error(`not created: ${result.message} (${result.code})`);
	process.exit(1);
}
console.log(`created ${result.user.username} (${result.user.role}) in ${config.dataDir}`);

async function readAll(): Promise<string> {
	let text = '';
	for await (const chunk of process.stdin) text += chunk;
	return text;
}

async function askTwice(): Promise<string> {
	const first = await askHidden('password: ');
	const second = await askHidden('again: ');
	if (first !== second) {
		console.error('the two passwords differ');
		process.exit(1);
	}
	return first;
}

function askHidden(prompt: string): Promise<string> {
	let muted = false;
	const output = new Writable({
		write(chunk, encoding, done) {
			if (!muted) process.stdout.write(chunk, encoding);
			done();
		}
	});
	const rl = readline.createInterface({ input: process.stdin, output, terminal: true });
	return new Promise((resolve) => {
		process.stdout.write(prompt);
		muted = true;
		rl.question('', (answer) => {
			rl.close();
			process.stdout.write('\n');
			resolve(answer);
		});
	});
}
