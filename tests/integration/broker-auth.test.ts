import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BROKER_ACCOUNTS_FILE } from '../../src/lib/server/connectors/broker-accounts';
import { brokerAccounts, mosquittoAcl } from '../../src/lib/server/domain/plant/broker-acl';
import { parsePlantModel } from '../../src/lib/server/domain/plant/load';
import { freePort, reachable, startHmi, waitFor, type TestHmi } from './harness';

// The brokers' side of namespace ownership: nobody gets in without an account, and an account publishes and
// subscribes only what its job needs. First the embedded broker, then the same rules written as a Mosquitto
// ACL file and enforced by a real Mosquitto.
const L1 = 'acme/utrecht/packaging/line1';
const L2 = 'acme/utrecht/packaging/line2';
const SETPOINT_COMMAND = `cmd/${L2}/filler/setpoint/speed_target`;

/** Connects and resolves once the connection is closed by the broker (or after `ms`, with false). */
function closedWithin(client: mqtt.MqttClient, ms: number): Promise<boolean> {
	return new Promise((resolve) => {
		const timer = setTimeout(() => resolve(false), ms);
		client.once('close', () => (clearTimeout(timer), resolve(true)));
	});
}

/** A subscriber that records every topic it receives. */
async function watcher(url: string, filter = '#'): Promise<{ client: mqtt.MqttClient; topics: string[] }> {
	const client = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
	const topics: string[] = [];
	client.on('message', (topic) => topics.push(topic));
	await client.subscribeAsync(filter, { qos: 1 });
	return { client, topics };
}

describe('the embedded broker signs everyone in and holds each account to its rules', () => {
	let hmi: TestHmi;
	let all: Awaited<ReturnType<typeof watcher>>;
	beforeAll(async () => {
		hmi = await startHmi();
		all = await watcher(hmi.mqttUrlAs('hmi'));
	});
	afterAll(async () => {
		await all?.client.endAsync();
		await hmi?.stop();
	});

	test('an anonymous client is refused (CONNACK 5), a wrong password too (CONNACK 4)', async () => {
		const refusedBefore = hmi.runtime.embeddedBroker!.refusals.connect;
		await expect(mqtt.connectAsync(hmi.runtime.mqttUrl, { reconnectPeriod: 0 })).rejects.toMatchObject({ code: 5 });
		const wrong = new URL(hmi.mqttUrlAs('line-line2'));
		wrong.password = 'guess';
		await expect(mqtt.connectAsync(wrong.toString(), { reconnectPeriod: 0 })).rejects.toMatchObject({ code: 4 });
		expect(hmi.runtime.embeddedBroker!.refusals.connect - refusedBefore).toBe(2);
	});

	test('the accounts file is readable by its owner only', () => {
		const file = path.join(hmi.runtime.config.dataDir, BROKER_ACCOUNTS_FILE);
		expect(fs.statSync(file).mode & 0o777).toBe(0o600);
	});

	test.each([
		['line 2 on a line 1 tag', 'line-line2', `${L1}/filler/reason_code`],
		['line 2 on a setpoint command', 'line-line2', SETPOINT_COMMAND],
		['line 2 on a fault injection command', 'line-line2', `cmd/${L2}/capper/inject_fault`],
		["line 2 on its own machine's alarm record", 'line-line2', `${L2}/filler/_alarms/estop`],
		['a UNS publisher on a system alarm', 'uns-publisher', '_sys/hmi/_alarms/journal_not_writable'],
		['a UNS publisher on a plant tag', 'uns-publisher', `${L2}/filler/state`],
		['a UNS publisher on a command', 'uns-publisher', SETPOINT_COMMAND],
		['a Sparkplug edge node on a plant tag', 'sparkplug', `${L2}/filler/state`],
		['a Sparkplug edge node sending a command', 'sparkplug', 'spBv1.0/acme-utrecht/NCMD/utilities']
	])('%s: refused, the connection closed, nothing delivered', async (_what, account, topic) => {
		const client = await mqtt.connectAsync(hmi.mqttUrlAs(account), { reconnectPeriod: 0 });
		const refusedBefore = hmi.runtime.embeddedBroker!.refusals.publish;
		const closed = closedWithin(client, 5000);
		client.publish(topic, JSON.stringify({ timestamp_ms: Date.now(), value: 1 }), { qos: 1 });
		expect(await closed).toBe(true);
		expect(hmi.runtime.embeddedBroker!.refusals.publish).toBe(refusedBefore + 1);
		await new Promise((r) => setTimeout(r, 100));
		expect(all.topics).not.toContain(topic);
		client.end(true);
	});

	test('what an account may publish is delivered', async () => {
		const line2 = await mqtt.connectAsync(hmi.mqttUrlAs('line-line2'), { reconnectPeriod: 0 });
		const other = await mqtt.connectAsync(hmi.mqttUrlAs('uns-publisher'), { reconnectPeriod: 0 });
		await line2.publishAsync(`${L2}/filler/speed`, JSON.stringify({ timestamp_ms: Date.now(), value: 500 }), { qos: 1 });
		await other.publishAsync('erp/orders/4711', '{"qty":5}', { qos: 1 });
		await waitFor(() => all.topics.includes(`${L2}/filler/speed`) && all.topics.includes('erp/orders/4711'), 'both delivered');
		expect(all.topics).toEqual(expect.arrayContaining([`${L2}/filler/speed`, 'erp/orders/4711']));
		await Promise.all([line2.endAsync(), other.endAsync()]);
	});

	test("a line's controller hears its own commands only", async () => {
		const line2 = await mqtt.connectAsync(hmi.mqttUrlAs('line-line2'), { reconnectPeriod: 0 });
		// mqtt.js rejects a subscription the broker refused in its SUBACK (0x80); the connection stays.
		expect((await line2.subscribeAsync(`cmd/${L2}/#`, { qos: 1 }))[0].qos).toBe(1);
		await expect(line2.subscribeAsync(`cmd/${L1}/#`, { qos: 1 })).rejects.toThrow(/Subscribe error/);
		await expect(line2.subscribeAsync('#', { qos: 1 })).rejects.toThrow(/Subscribe error/);
		expect(line2.connected).toBe(true);
		await line2.endAsync();
	});

	test('a UNS publisher reading everything still does not see plant tags or commands', async () => {
		const reader = await watcher(hmi.mqttUrlAs('uns-publisher'));
		const hmiClient = await mqtt.connectAsync(hmi.mqttUrlAs('hmi'), { reconnectPeriod: 0 });
		await hmiClient.publishAsync(SETPOINT_COMMAND, '{"value":400}', { qos: 1 });
		await hmiClient.publishAsync('erp/orders/4712', '{}', { qos: 1 });
		await waitFor(() => reader.topics.includes('erp/orders/4712'), 'a topic it may read');
		expect(reader.topics).not.toContain(SETPOINT_COMMAND);
		await Promise.all([reader.client.endAsync(), hmiClient.endAsync()]);
	});
});

// The same rules on a real Mosquitto: the ACL file we document for production brokers must work there.
const MOSQUITTO = '/usr/sbin/mosquitto';
const haveMosquitto = fs.existsSync(MOSQUITTO) && spawnSync('mosquitto_passwd', ['-h']).error === undefined;
if (!haveMosquitto) console.warn('[skip] Mosquitto ACL test: mosquitto and mosquitto_passwd are not installed');

describe.skipIf(!haveMosquitto)('the generated Mosquitto ACL on a real Mosquitto', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hmi-mosquitto-'));
	const accounts = brokerAccounts(parsePlantModel(fs.readFileSync('config/plant.json', 'utf8'), 'config/plant.json'));
	let broker: ChildProcess;
	let port: number;
	const url = (user: string) => `mqtt://${user}:${user}-secret@127.0.0.1:${port}`;

	beforeAll(async () => {
		port = await freePort();
		const passwd = path.join(dir, 'passwd');
		fs.writeFileSync(passwd, '');
		for (const a of accounts) spawnSync('mosquitto_passwd', ['-b', passwd, a.username, `${a.username}-secret`]);
		fs.writeFileSync(path.join(dir, 'acl'), mosquittoAcl(accounts));
		fs.writeFileSync(
			path.join(dir, 'mosquitto.conf'),
			[`listener ${port} 127.0.0.1`, 'allow_anonymous false', `password_file ${passwd}`, `acl_file ${path.join(dir, 'acl')}`, 'persistence false'].join('\n')
		);
		// Started as root, Mosquitto drops to its own user, which must be able to read its files (test secrets only).
		fs.chmodSync(dir, 0o755);
		for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), 0o644);
		broker = spawn(MOSQUITTO, ['-c', path.join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
		const deadline = Date.now() + 10_000;
		while (!(await reachable('127.0.0.1', port, 200))) {
			if (Date.now() > deadline) throw new Error('mosquitto did not start');
			await new Promise((r) => setTimeout(r, 50));
		}
	});
	afterAll(() => {
		broker?.kill();
		fs.rmSync(dir, { recursive: true, force: true });
	});

	test("line 2's controller reaches its own line and nothing else; anonymous clients are refused", async () => {
		await expect(mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0 })).rejects.toMatchObject({ code: 5 });
		const all = await watcher(url('hmi'));
		const line2 = await mqtt.connectAsync(url('line-line2'), { reconnectPeriod: 0 });
		// Mosquitto drops a publish the ACL refuses (and still acknowledges it): nothing is delivered.
		await line2.publishAsync(`${L1}/filler/reason_code`, '204', { qos: 1 });
		await line2.publishAsync(SETPOINT_COMMAND, '{"value":400}', { qos: 1 });
		await line2.publishAsync(`${L2}/filler/_alarms/estop`, '{"state":"normal"}', { qos: 1 });
		await line2.publishAsync(`${L2}/filler/speed`, '500', { qos: 1 });
		await waitFor(() => all.topics.includes(`${L2}/filler/speed`), 'its own tag delivered');
		expect(all.topics).toEqual([`${L2}/filler/speed`]);
		const granted = await line2.subscribeAsync([`cmd/${L2}/#`], { qos: 1 });
		expect(granted[0].qos).toBe(1);
		await Promise.all([all.client.endAsync(), line2.endAsync()]);
	});
});
