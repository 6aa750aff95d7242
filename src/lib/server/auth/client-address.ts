/**
 * The client address as the sign-in limits count it, and when the server should say that addresses may be
 * shared. Pure.
 */
import { isIPv4, isIPv6 } from 'node:net';

/**
 * The key the login limits count an address under: an IPv4 address as it is (also when it arrives as
 * `::ffff:a.b.c.d` through a dual-stack socket), an IPv6 address by its /64 (`2001:db8:1:2::/64`), as one
 * host or one network gets a whole /64 and privacy addresses rotate within it. Anything else (a label, a
 * header value that is not an address) as it is, lower case.
 */
export function addressKeyOf(address: string): string {
	let a = address.trim().toLowerCase();
	if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1);
	const zone = a.indexOf('%');
	if (zone >= 0) a = a.slice(0, zone);
	if (!isIPv6(a)) return a;
	const groups = ipv6Groups(a);
	const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
	if (mapped) return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.');
	return `${groups
		.slice(0, 4)
		.map((g) => g.toString(16))
		.join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a dotted IPv4 tail converted). */
function ipv6Groups(address: string): number[] {
	let a = address;
	const lastColon = a.lastIndexOf(':');
	const tail = a.slice(lastColon + 1);
	if (isIPv4(tail)) {
		const [p, q, r, s] = tail.split('.').map(Number);
		a = `${a.slice(0, lastColon + 1)}${((p << 8) | q).toString(16)}:${((r << 8) | s).toString(16)}`;
	}
	const [head, rest] = a.split('::');
	const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
	const front = parse(head);
	const back = parse(rest);
	const zeros = rest === undefined ? [] : Array<number>(8 - front.length - back.length).fill(0);
	return [...front, ...zeros, ...back];
}

/** True for a host name that only reaches this machine: `localhost` (and `*.localhost`), 127.0.0.0/8, `[::1]`. */
export function isLoopbackHost(name: string): boolean {
	const host = name.toLowerCase().replace(/^\[|\]$/g, '');
	return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || (isIPv4(host) && host.startsWith('127.'));
}

/**
 * The warning to log once at start, or null. Without ADDRESS_HEADER the client address is the TCP peer;
 * behind a reverse proxy (or a NAT) that is the same for every client, so all of them share one address
 * budget. The server cannot see a proxy, but it knows whether it is meant for other machines at all: it
 * warns when one of the host names it answers for (ORIGIN, ALLOWED_ORIGINS, ALLOWED_HOSTS) is not a
 * loopback name. A server only for this machine (the defaults, a developer's laptop) stays quiet.
 * @param allowedHosts the host names requests may be sent to (Config.allowedHosts)
 */
export function sharedAddressWarning(addressHeader: string | undefined, allowedHosts: readonly string[]): string | null {
	if (addressHeader) return null;
	const remote = allowedHosts.filter((h) => !isLoopbackHost(h));
	if (remote.length === 0) return null;
	return (
		`ADDRESS_HEADER is not set: sign-in limits count the TCP peer's address. The HMI answers for ${remote.join(', ')}; ` +
		'if a reverse proxy is in front (or the tablets come through a NAT), every client shares one address, and once ' +
		'that address has used its budget (LOGIN_MAX_FAILURES_PER_ADDRESS) every sign-in there is slowed down. Behind a ' +
		'proxy, set ADDRESS_HEADER (and XFF_DEPTH) so that each client is counted by its own address.'
	);
}
