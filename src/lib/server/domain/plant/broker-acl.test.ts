import fs from 'node:fs';
import { describe, expect, test } from 'vitest';
import { brokerAccounts, filterCovers, mayPublish, mayReceive, maySubscribe, mosquittoAcl, topicMatches } from './broker-acl';
import { parsePlantModel } from './load';

const plant = parsePlantModel(fs.readFileSync('config/plant.json', 'utf8'), 'config/plant.json');
const accounts = brokerAccounts(plant);
const rulesOf = (username: string) => accounts.find((a) => a.username === username)!.rules;
const L1 = 'acme/utrecht/packaging/line1';
const L2 = 'acme/utrecht/packaging/line2';

describe('broker ACL from the plant model', () => {
	test('one account for the HMI, one per MQTT line, one for Sparkplug edge nodes and one for other publishers', () => {
		expect(accounts.map((a) => a.username)).toEqual(['hmi', 'line-line2', 'sparkplug', 'uns-publisher']);
	});

	test.each([
		['hmi', `cmd/${L2}/filler/setpoint/speed_target`, true],
		['hmi', 'spBv1.0/acme-utrecht/NCMD/utilities', true],
		['hmi', '$SYS/broker/x', false],
		['line-line2', `${L2}/filler/state`, true],
		['line-line2', `${L1}/filler/reason_code`, false],
		['line-line2', `cmd/${L2}/filler/setpoint/speed_target`, false],
		['line-line2', `${L2}`, true],
		['line-line2', `${L2}/filler/_alarms/estop`, false],
		['line-line2', `${L2}/_alarms/fire`, false],
		['line-line2', `${L2}/filler/_kpi/oee`, false],
		['line-line2', `${L2}/_kpi/oee`, false],
		['uns-publisher', '_sys/hmi/_alarms/journal_not_writable', false],
		['sparkplug', 'spBv1.0/acme-utrecht/NDATA/utilities', true],
		['sparkplug', 'spBv1.0/acme-utrecht/DBIRTH/utilities/compressor1', true],
		['sparkplug', 'spBv1.0/acme-utrecht/NCMD/utilities', false],
		['sparkplug', `${L2}/filler/state`, false],
		['uns-publisher', 'erp/orders/4711', true],
		['uns-publisher', `${L2}/filler/state`, false],
		['uns-publisher', `cmd/${L2}/filler/inject_fault`, false],
		['uns-publisher', 'spBv1.0/g/NDATA/e', false],
		['uns-publisher', 'acme', false]
	])('%s publishing %s: %s', (user, topic, allowed) => {
		expect(mayPublish(rulesOf(user), topic)).toBe(allowed);
	});

	test.each([
		['hmi', '#', true],
		['line-line2', `cmd/${L2}/#`, true],
		['line-line2', `cmd/${L2}/+/setpoint/+`, true],
		['line-line2', 'cmd/#', false],
		['line-line2', `cmd/${L1}/#`, false],
		['line-line2', '#', false],
		['sparkplug', 'spBv1.0/acme-utrecht/NCMD/utilities', true],
		['sparkplug', 'spBv1.0/acme-utrecht/DCMD/utilities/#', true],
		['sparkplug', 'spBv1.0/#', false],
		['uns-publisher', '#', true]
	])('%s subscribing %s: %s', (user, filter, allowed) => {
		expect(maySubscribe(rulesOf(user), filter)).toBe(allowed);
	});

	test('a deny inside a granted subscription holds per message', () => {
		expect(mayReceive(rulesOf('uns-publisher'), 'erp/orders/1')).toBe(true);
		expect(mayReceive(rulesOf('uns-publisher'), `cmd/${L2}/filler/setpoint/speed_target`)).toBe(false);
		expect(mayReceive(rulesOf('uns-publisher'), `${L2}/filler/state`)).toBe(false);
	});

	test.each([
		['a/#', 'a', true],
		['a/#', 'a/b/c', true],
		['a/+', 'a/b', true],
		['a/+', 'a/b/c', false],
		['+/b', 'a/b', true],
		['#', '$SYS/x', false],
		['+/x', '$SYS/x', false],
		['a/b', 'a/b', true],
		['a/b', 'a/b/c', false],
		['a/b', 'a', false],
		['a/b', 'a/bc', false],
		['a/+/c', 'a/b/c', true],
		['a/b/#', 'a/b', true],
		['+', 'a', true],
		['+', 'a/b', false],
		['+/+', 'a/', true],
		['#', 'a', true],
		['$SYS/#', '$SYS/x', true]
	])('topic filter %s matches %s: %s', (filter, topic, expected) => {
		expect(topicMatches(filter, topic)).toBe(expected);
	});

	test.each([
		['a/#', 'a/b/#', true],
		['a/#', 'a/+', true],
		['a/+', 'a/b', true],
		['a/+', 'a/+', true],
		['a/+', 'a/#', false],
		['a/b', 'a/+', false],
		['#', '$SYS/#', false],
		['a/+/c', 'a/+/c', true]
	])('filter %s covers %s: %s', (outer, inner, expected) => {
		expect(filterCovers(outer, inner)).toBe(expected);
	});

	test('the Mosquitto ACL file names every account and rule', () => {
		const acl = mosquittoAcl(accounts);
		expect(acl).toContain('user line-line2\ntopic deny acme/utrecht/packaging/line2/_alarms/#\n');
		expect(acl).toContain('topic write acme/utrecht/packaging/line2/#\ntopic read cmd/acme/utrecht/packaging/line2/#');
		expect(acl).toContain('user uns-publisher\ntopic deny acme/#');
	});
});
