import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { EndpointPins, decidePin, thumbprintOf } from './opcua-trust';

describe('trust on first use', () => {
	test.each([
		[undefined, 'aa11', 'pin'],
		['aa11', 'aa11', 'same'],
		['aa11', 'bb22', 'changed']
	] as const)('pinned %s, presented %s → %s', (pinned, presented, decision) => {
		expect(decidePin(pinned, presented)).toBe(decision);
	});

	test('the thumbprint is the SHA-1 of the DER bytes, in hex', () => {
		// SHA-1("abc") is the FIPS 180 test vector.
		expect(thumbprintOf(Buffer.from('abc'))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
		expect(thumbprintOf([Buffer.from('a'), Buffer.from('bc')])).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
	});

	test('pins are kept per endpoint in a file that survives a restart; a broken file means no pins', () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opcua-pins-'));
		try {
			const file = path.join(dir, 'pki', 'pinned-servers.json');
			new EndpointPins(file).set('opc.tcp://plc1:4840', 'aa11');
			new EndpointPins(file).set('opc.tcp://plc2:4840', 'bb22');
			const reread = new EndpointPins(file);
			expect([reread.get('opc.tcp://plc1:4840'), reread.get('opc.tcp://plc2:4840'), reread.get('opc.tcp://plc3:4840')]).toEqual(['aa11', 'bb22', undefined]);
			fs.writeFileSync(file, '{not json');
			expect(new EndpointPins(file).get('opc.tcp://plc1:4840')).toBeUndefined();
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
