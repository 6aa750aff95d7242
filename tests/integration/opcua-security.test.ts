import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSimulator } from '../../plc-sim/index';
import { Quality } from '../../src/lib/shared/protocol';
import { createLogger } from '../../src/lib/server/log';
import { opcuaClientPkiFolder } from '../../src/lib/server/connectors/opcua';
import { GET as healthz } from '../../src/routes/healthz/+server';
import { freePort, startHmi, waitFor, type TestHmi } from './harness';
import { call, signedIn, useRuntime } from './routes';

// The simulator in secure mode (Sign / SignAndEncrypt only, user name required) against the connector.
const USER = 'hmi-test';
const PASSWORD = 'opcua-pass-K3v9';
const TEMP = 'acme/utrecht/packaging/line1/filler/product_temperature';

let sim: Awaited<ReturnType<typeof startSimulator>>;
let endpoint: string;
const simDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hmi-sim-secure-'));
const savedEnv = { ...process.env };
const hmis: TestHmi[] = [];
const hmiDirs: string[] = [];

/** The simulator's own certificate: what the HMI must trust (node-opcua keeps it under the server's PKI root). */
const simCertificate = (dir = simDir) => path.join(dir, 'plc-sim-pki', 'server', 'own', 'certs', 'certificate.pem');

beforeAll(async () => {
	Object.assign(process.env, { PLC_SIM_SECURE: '1', PLC_SIM_OPCUA_USERNAME: USER, PLC_SIM_OPCUA_PASSWORD: PASSWORD });
	const opcuaPort = await freePort();
	sim = await startSimulator({ seed: 3, opcuaPort, mqtt: false, dataDir: simDir, log: () => {} });
	endpoint = sim.opcuaEndpoint!;
}, 120_000);

afterAll(async () => {
	for (const h of hmis) await h.stop();
	for (const dir of hmiDirs) fs.rmSync(dir, { recursive: true, force: true });
	await sim?.stop();
	for (const key of ['PLC_SIM_SECURE', 'PLC_SIM_OPCUA_USERNAME', 'PLC_SIM_OPCUA_PASSWORD']) if (savedEnv[key] === undefined) delete process.env[key];
	fs.rmSync(simDir, { recursive: true, force: true });
});

/**
 * An HMI whose log lines (debug level) are kept, to check that no password shows up. How it trusts the
 * server's certificate: `folder` = copied into its PKI's trusted folder before start (what an admin does),
 * `tofu` = OPCUA_TRUST_ON_FIRST_USE=1, `none` = not at all.
 */
async function hmiWith(env: Record<string, string>, trust: 'folder' | 'tofu' | 'none' = 'folder') {
	const lines: string[] = [];
	const sink = new PassThrough();
	sink.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hmi-opcua-trust-'));
	hmiDirs.push(dataDir);
	const pki = opcuaClientPkiFolder(dataDir);
	if (trust === 'folder') {
		fs.mkdirSync(path.join(pki, 'trusted', 'certs'), { recursive: true });
		fs.copyFileSync(simCertificate(), path.join(pki, 'trusted', 'certs', 'plc-sim.pem'));
	}
	const hmi = await startHmi(
		{ OPCUA_ENDPOINT: endpoint, LOG_LEVEL: 'debug', DATA_DIR: dataDir, ...(trust === 'tofu' && { OPCUA_TRUST_ON_FIRST_USE: '1' }), ...env },
		{ log: createLogger('debug', sink) }
	);
	hmis.push(hmi);
	return { hmi, lines, pki, line1: () => hmi.runtime.health().sources['opcua-line1'] };
}

describe('OPC UA with message security and a user name', () => {
	test('SignAndEncrypt with the right user name and password: connected, values arrive, the password is in no log line', async () => {
		const { hmi, lines, line1 } = await hmiWith({ OPCUA_SECURITY_MODE: 'SignAndEncrypt', OPCUA_USERNAME: USER, OPCUA_PASSWORD: PASSWORD });
		const started = Date.now();
		await waitFor(() => line1().state === 'connected', 'secure connection', 45_000);
		const client = hmi.connect();
		await client.subscribe(['acme/utrecht/packaging/line1/#']);
		await waitFor(() => client.values.get(TEMP)?.quality === Quality.Good, 'a line 1 value');
		expect(typeof client.values.get(TEMP)?.value).toBe('number');
		expect(line1().detail).toMatchObject({ securityMode: 'SignAndEncrypt', user: USER });
		expect(lines.length).toBeGreaterThan(0);
		expect(lines.filter((l) => l.includes(PASSWORD))).toEqual([]);
		expect(JSON.stringify(hmi.runtime.health())).not.toContain(PASSWORD);
		console.log(`[measure] OPC UA SignAndEncrypt/Basic256Sha256 with user name: connected ${Date.now() - started} ms after start`);

		// /healthz: anyone sees states and counts only; an admin asks for the detail.
		useRuntime(hmi.runtime);
		try {
			const open = await call(healthz, { user: null, path: '/healthz', method: 'GET' });
			expect(open.status).toBe(200);
			expect(open.body).toMatchObject({ status: expect.any(String), sources: { 'opcua-line1': { state: 'connected', messages: expect.any(Number), malformed: {} } } });
			const text = JSON.stringify(open.body);
			for (const secret of [USER, PASSWORD, endpoint, 'SignAndEncrypt', 'detail', 'lastError', '"hub"']) expect(text, `public /healthz shows ${secret}`).not.toContain(secret);
			const admin = await signedIn(hmi.runtime, 'health-admin', 'admin');
			const detailed = await call(healthz, { user: admin, path: '/healthz?detail=1', method: 'GET' });
			expect(detailed.status).toBe(200);
			expect(detailed.body).toMatchObject({ sources: { 'opcua-line1': { state: 'connected', detail: { securityMode: 'SignAndEncrypt', user: USER, endpoint } } } });
			expect(JSON.stringify(detailed.body)).not.toContain(PASSWORD);
			const operator = await signedIn(hmi.runtime, 'health-operator', 'operator');
			expect((await call(healthz, { user: operator, path: '/healthz?detail=1', method: 'GET' })).status).toBe(403);
			expect((await call(healthz, { user: null, path: '/healthz?detail=1', method: 'GET' })).status).toBe(401);
		} finally {
			useRuntime(undefined);
		}
	}, 60_000);

	test('the OPC UA server restarts: the secure session and its monitored items are back within 10 s', async () => {
		const { hmi, line1 } = await hmiWith({ OPCUA_SECURITY_MODE: 'SignAndEncrypt', OPCUA_USERNAME: USER, OPCUA_PASSWORD: PASSWORD });
		await waitFor(() => line1().state === 'connected', 'secure connection', 45_000);
		const client = hmi.connect();
		await client.subscribe(['acme/utrecht/packaging/line1/#', '_sys/#']);
		await waitFor(() => client.values.get(TEMP)?.quality === Quality.Good, 'a line 1 value');
		const port = Number(new URL(endpoint.replace('opc.tcp:', 'http:')).port);
		await sim.stop();
		await waitFor(() => client.values.get(TEMP)?.quality === Quality.Stale, 'stale while the server is down');
		expect(client.values.get('_sys/sources/opcua-line1/state')?.value).not.toBe('connected');
		sim = await startSimulator({ seed: 3, opcuaPort: port, mqtt: false, dataDir: simDir, log: () => {} });
		const restartedAt = Date.now();
		await waitFor(() => client.values.get(TEMP)?.quality === Quality.Good, 'items back after the restart', 10_000);
		expect(line1().state).toBe('connected');
		console.log(`[measure] OPC UA (SignAndEncrypt, user name) items back ${Date.now() - restartedAt} ms after the server restarted`);
	}, 90_000);

	test('Sign with the right user works too', async () => {
		const { hmi, line1 } = await hmiWith({ OPCUA_SECURITY_MODE: 'Sign', OPCUA_USERNAME: USER, OPCUA_PASSWORD: PASSWORD });
		await waitFor(() => line1().state === 'connected', 'signed connection', 45_000);
		expect(line1().detail).toMatchObject({ securityMode: 'Sign', user: USER });
		const client = hmi.connect();
		await client.subscribe(['acme/utrecht/packaging/line1/#']);
		await waitFor(() => client.values.get(TEMP)?.quality === Quality.Good, 'a line 1 value');
		expect(typeof client.values.get(TEMP)?.value).toBe('number');
	}, 60_000);

	test('a wrong password: the source stays disconnected with a clear reason, nothing crashes', async () => {
		const wrong = 'not-the-password';
		const { hmi, lines, line1 } = await hmiWith({ OPCUA_SECURITY_MODE: 'SignAndEncrypt', OPCUA_USERNAME: USER, OPCUA_PASSWORD: wrong });
		await waitFor(() => /wrong user name or password/.test(line1().lastError ?? ''), 'refusal reason', 45_000);
		expect(line1().state).not.toBe('connected');
		expect(line1().lastError).toContain(`refused user ${USER}`);
		expect(lines.filter((l) => l.includes(wrong))).toEqual([]);
		// Still serving.
		const client = hmi.connect();
		await client.subscribe(['_sys/#']);
		expect(client.values.get('_sys/sources/opcua-line1/state')?.value).not.toBe('connected');
		console.log(`[measure] OPC UA wrong password → ${line1().lastError}`);
	}, 60_000);

	test('security None is refused by the secure server', async () => {
		const { line1 } = await hmiWith({ OPCUA_USERNAME: USER, OPCUA_PASSWORD: PASSWORD, OPCUA_ALLOW_PLAINTEXT_PASSWORD: '1' });
		await waitFor(() => (line1().lastError ?? '') !== '' && line1().state !== 'connected', 'refusal', 45_000);
		// A few more attempts, none of which may succeed.
		await new Promise((r) => setTimeout(r, 3000));
		expect(line1().state).not.toBe('connected');
		// The server offers no None endpoint, so the channel is never opened.
		expect(line1().lastError).toContain('does not accept security None/None');
		console.log(`[measure] OPC UA security None against the secure server → ${line1().lastError}`);
	}, 60_000);

	test('a server certificate nobody trusted: disconnected with a clear reason, and it waits in rejected/ for an admin', async () => {
		const { line1, lines, pki } = await hmiWith({ OPCUA_SECURITY_MODE: 'SignAndEncrypt', OPCUA_USERNAME: USER, OPCUA_PASSWORD: PASSWORD }, 'none');
		await waitFor(() => /certificate is not trusted/.test(line1().lastError ?? ''), 'untrusted certificate reason', 45_000);
		await new Promise((r) => setTimeout(r, 2000));
		expect(line1().state).not.toBe('connected');
		expect(line1().lastError).toContain(path.join(pki, 'trusted', 'certs'));
		expect(fs.readdirSync(path.join(pki, 'rejected')).length).toBeGreaterThan(0);
		expect(lines.filter((l) => l.includes(PASSWORD))).toEqual([]);
		console.log(`[measure] OPC UA untrusted server certificate → ${line1().lastError}`);
	}, 60_000);

	test('trust on first use: the first certificate is pinned, a different one from the same endpoint is refused', async () => {
		const { line1, lines } = await hmiWith({ OPCUA_SECURITY_MODE: 'SignAndEncrypt', OPCUA_USERNAME: USER, OPCUA_PASSWORD: PASSWORD }, 'tofu');
		await waitFor(() => line1().state === 'connected', 'connected on first use', 45_000);
		const pinnedLines = lines.filter((l) => l.includes('trusting the server certificate on first use'));
		expect(pinnedLines).toHaveLength(1);
		expect(pinnedLines[0]).not.toContain(PASSWORD);

		// Another server (new PKI, so another certificate) on the same endpoint: a man in the middle, as far as we know.
		const port = Number(new URL(endpoint.replace('opc.tcp:', 'http:')).port);
		const impostorDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hmi-sim-impostor-'));
		await sim.stop();
		sim = await startSimulator({ seed: 3, opcuaPort: port, mqtt: false, dataDir: impostorDir, log: () => {} });
		try {
			expect(fs.readFileSync(simCertificate(impostorDir))).not.toEqual(fs.readFileSync(simCertificate()));
			await waitFor(() => /certificate changed since it was first trusted/.test(line1().lastError ?? ''), 'refusal of the changed certificate', 45_000);
			await new Promise((r) => setTimeout(r, 2000));
			expect(line1().state).not.toBe('connected');
			expect(lines.filter((l) => l.includes('trusting the server certificate on first use'))).toHaveLength(1);
			console.log(`[measure] OPC UA TOFU, changed certificate → ${line1().lastError}`);
		} finally {
			await sim.stop();
			sim = await startSimulator({ seed: 3, opcuaPort: port, mqtt: false, dataDir: simDir, log: () => {} });
			fs.rmSync(impostorDir, { recursive: true, force: true });
		}
	}, 120_000);
});
