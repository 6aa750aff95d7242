import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { readConfig } from '../../src/lib/server/config';
import { startRuntime } from '../../src/lib/server/runtime';

const dirs: string[] = [];
const tempDir = () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hmi-start-'));
	dirs.push(dir);
	return dir;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('start-up errors are clear', () => {
	test('the embedded broker\'s port is taken → an error that says what to do', async () => {
		const blocker = net.createServer();
		await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
		const port = (blocker.address() as net.AddressInfo).port;
		try {
			const config = readConfig({ DATA_DIR: tempDir(), MQTT_PORT: String(port), LOG_LEVEL: 'silent', OPCUA_ENDPOINT: 'opc.tcp://127.0.0.1:9/x' });
			await expect(startRuntime(config)).rejects.toThrow(`MQTT port ${port} on 127.0.0.1 is already in use. Set MQTT_PORT to a free port, or set MQTT_URL`);
		} finally {
			blocker.close();
		}
	});

	test('a broken plant model stops the start with the file and the mistake', async () => {
		const dir = tempDir();
		const model = path.join(dir, 'plant.json');
		const shipped = JSON.parse(fs.readFileSync('config/plant.json', 'utf8'));
		shipped.lines[1].machines[0].type = 'palletizer';
		fs.writeFileSync(model, JSON.stringify(shipped));
		const config = readConfig({ DATA_DIR: dir, PLANT_MODEL: model, MQTT_PORT: '0', LOG_LEVEL: 'silent' });
		await expect(startRuntime(config)).rejects.toThrow(/plant\.json is not valid:\n {2}- lines\.1\.machines\.0\.type: unknown machine type "palletizer"/);
	});
});
