import { describe, expect, test } from 'vitest';
import { addressKeyOf, isLoopbackHost, sharedAddressWarning } from './client-address';

describe('addressKeyOf', () => {
	test.each([
		['192.0.2.7', '192.0.2.7'],
		['::ffff:192.0.2.7', '192.0.2.7'],
		['::FFFF:c000:0207', '192.0.2.7'],
		['2001:db8:1:2::1', '2001:db8:1:2::/64'],
		['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
		['2001:0DB8:0001:0002:0:0:0:1', '2001:db8:1:2::/64'],
		['[2001:db8:1:2::1]', '2001:db8:1:2::/64'],
		['fe80::1%eth0', 'fe80:0:0:0::/64'],
		['2001:db8::', '2001:db8:0:0::/64'],
		['::1', '0:0:0:0::/64'],
		['::', '0:0:0:0::/64'],
		['64:ff9b::192.0.2.7', '64:ff9b:0:0::/64'],
		['test', 'test'],
		['not an address', 'not an address']
	])('%s → %s', (address, key) => {
		expect(addressKeyOf(address)).toBe(key);
	});
});

describe('the warning about shared addresses', () => {
	test.each([
		['no ADDRESS_HEADER, tablets use the plant name', undefined, ['hmi.plant.local', 'localhost'], true],
		['no ADDRESS_HEADER, an address of the plant network', undefined, ['10.1.2.3'], true],
		['no ADDRESS_HEADER, only this machine (the defaults)', undefined, ['localhost', '127.0.0.1'], false],
		['no ADDRESS_HEADER, loopback names only', undefined, ['[::1]', '127.0.1.1', 'hmi.localhost'], false],
		['ADDRESS_HEADER set', 'x-forwarded-for', ['hmi.plant.local'], false]
	])('%s: %s', (_case, header, hosts, warns) => {
		const warning = sharedAddressWarning(header, hosts);
		expect(warning !== null).toBe(warns);
		if (warning) expect(warning).toContain(hosts[0]);
	});

	test.each([
		['localhost', true],
		['127.0.0.1', true],
		['[::1]', true],
		['hmi.test', false],
		['128.0.0.1', false],
		['127.example.com', false]
	])('%s is loopback: %s', (host, loopback) => {
		expect(isLoopbackHost(host)).toBe(loopback);
	});
});
