import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, expect, test } from 'vitest';
import { GET as historyRoute } from '../../src/routes/api/history/+server';
import { readConfig } from '../../src/lib/server/config';
import { startRuntime } from '../../src/lib/server/runtime';
import { brokerUrlAs, waitFor } from './harness';
import { call, signedIn, useRuntime } from './routes';

// Reproduced: /api/history answered 400 (no history) for a tag that had not reported since the restart,
// although its samples were on disk.
const TEMP = 'acme/utrecht/packaging/line2/filler/product_temperature';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hmi-history-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
const config = readConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', MQTT_PORT: '0', OPCUA_ENDPOINT: 'opc.tcp://127.0.0.1:9/none', SESSION_SECRET: 'integration-test-secret-of-32-characters' });

test('the history of a tag that has not reported since the restart is served from disk', async () => {
	const from = Date.now() - 1000;
	const first = await startRuntime(config);
	try {
		await waitFor(() => first.health().sources.mqtt.state === 'connected', 'mqtt connected');
		const p = await mqtt.connectAsync(brokerUrlAs(first, 'line-line2'), { reconnectPeriod: 0 });
		for (const [i, value] of [6.1, 6.4, 6.9].entries()) await p.publishAsync(TEMP, JSON.stringify({ timestamp_ms: from + 100 + i * 100, value }));
		await p.endAsync();
		await waitFor(() => first.historian.stats.recorded >= 3, 'recorded');
	} finally {
		await first.stop();
	}

	const second = await startRuntime(config);
	useRuntime(second);
	try {
		const user = await signedIn(second, 'hanna', 'operator');
		const answer = await call(historyRoute, { user, method: 'GET', path: `/api/history?path=${encodeURIComponent(TEMP)}&from=${from}&to=${Date.now() + 1000}` });
		expect(answer).toMatchObject({ status: 200, body: { path: TEMP, count: 3, v: [6.1, 6.4, 6.9] } });
	} finally {
		useRuntime(undefined);
		await second.stop();
	}
}, 60_000);
