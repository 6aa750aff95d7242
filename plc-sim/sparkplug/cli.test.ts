import { expect, test } from 'vitest';
import { takeSparkplugArgs } from './cli.js';

test.each([
	[['--seed', '3'], { argv: ['--seed', '3'] }],
	[['--sparkplug', '--seed', '3'], { argv: ['--seed', '3'], group: 'acme-utrecht' }],
	[['--seed', '3', '--sparkplug', '--sparkplug-group', 'g1'], { argv: ['--seed', '3'], group: 'g1' }],
	[['--sparkplug-group=g2', '--sparkplug'], { argv: [], group: 'g2' }],
	// A group without --sparkplug leaves the edge node off.
	[['--sparkplug-group', 'g3'], { argv: [] }]
])('%j', (argv, expected) => {
	expect(takeSparkplugArgs(argv)).toEqual(expected);
});

test.each([[['--sparkplug', '--sparkplug-group']], [['--sparkplug-group', 'a/b']], [['--sparkplug-group=#']]])('%j is refused', (argv) => {
	expect(() => takeSparkplugArgs(argv)).toThrow(/SIM_ERR_BAD_OPTION|--sparkplug-group/);
});
