// The real app for the benchmarks that need it (bytes on the wire, paint latency in Chromium): the built
// SvelteKit server with the PLC simulator, as `npm run demo` runs it. Builds first when there is no build.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, startDemoStack, type DemoStack } from '../scripts/demo-stack';

export async function startAppStack(): Promise<DemoStack & { cookie: string }> {
	if (!fs.existsSync(path.join(ROOT, 'build/handler.js'))) {
		process.stdout.write('  no build yet: vite build…\n');
		const build = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
		if (build.status !== 0) throw new Error('vite build failed');
	}
	const stack = await startDemoStack({ logFile: path.join(os.tmpdir(), `hmi-bench-stack-${process.pid}.log`), env: { SIM_SEED: '7' } });
	try {
		return { ...stack, cookie: await signIn(stack.baseURL, 'operator', 'operator') };
	} catch (err) {
		await stack.stop();
		throw err;
	}
}

/** Signs in through the login form (demo user) and returns the session cookie. */
async function signIn(baseURL: string, username: string, password: string): Promise<string> {
	const res = await fetch(`${baseURL}/login`, {
		method: 'POST',
		body: new URLSearchParams({ username, password }),
		headers: { origin: baseURL, 'content-type': 'application/x-www-form-urlencoded' },
		redirect: 'manual'
	});
	const cookie = res.headers.getSetCookie().find((c) => c.startsWith('hmi_session='));
	if (!cookie) throw new Error(`sign-in failed: HTTP ${res.status}`);
	return cookie.split(';')[0];
}
