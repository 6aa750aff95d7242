// A tab with many subscriptions that resynchronises. A resync sends a `sub` and an `unsub` per subscription,
// but the hub allowed bursts of 40 while a tab may hold 64 subscriptions, and every refusal counted as a bad
// message: about 30 subscriptions broke a resync, 60 a fresh connect (socket closed 1008, reconnect loop),
// and a refused `unsub` left the old subscription behind. The browser's own LiveClient over a real socket
// against the real runtime; a lost delta frame (dropped on its way in) starts the resync, as a gap would.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LiveClient } from '../../src/lib/client/live.svelte';
import type { SocketFactory } from '../../src/lib/client/socket';
import { Quality, type TagValue } from '../../src/lib/shared/protocol';
import { ids, plantWithLines, writePlantModel } from '../../src/lib/server/testing/plant-models';
import { startHmi, TEST_ORIGIN, waitFor, type TestHmi } from './harness';

/** Subscriptions of the tab: as many as a socket may hold (WS_MAX_SUBSCRIPTIONS, 64), one tag each. */
const SUBS = 64;
const LINE = 'acme/utrecht/packaging/resync';
const tagPath = (i: number) => `${LINE}/probe/v${i}`;
const PLANT_MODEL = writePlantModel(plantWithLines([{ id: 'resync', machines: ['probe'], tags: ids('v', SUBS) }]));

let hmi: TestHmi;
beforeAll(async () => {
	hmi = await startHmi({ PLANT_MODEL });
	setAll(0);
});
afterAll(async () => {
	await hmi?.stop();
});

function setAll(value: number): void {
	for (let i = 0; i < SUBS; i++) setTag(i, value);
}
function setTag(i: number, value: TagValue): void {
	const now = Date.now();
	hmi.runtime.store.apply({ path: tagPath(i), value, quality: Quality.Good, sourceTs: now, serverTs: now, origin: 'mqtt' });
}

/** The live client's socket on `ws`, with a switch that loses the next delta frame. */
function realSockets() {
	const closes: { code: number; reason: string }[] = [];
	const state = { dropNextDelta: false, opened: 0 };
	const connect: SocketFactory = (h) => {
		const ws = new WebSocket(hmi.wsUrl, { origin: TEST_ORIGIN, headers: { cookie: `hmi_session=${hmi.token}` } });
		state.opened++;
		ws.on('open', () => h.open());
		ws.on('message', (data) => {
			const text = data.toString();
			if (state.dropNextDelta && (JSON.parse(text) as { type: string }).type === 'delta') {
				state.dropNextDelta = false;
				return;
			}
			h.message(text);
		});
		ws.on('close', (code, reason) => {
			closes.push({ code, reason: reason.toString() });
			h.close(code, reason.toString());
		});
		ws.on('error', () => h.error());
		return {
			send: (data) => {
				if (ws.readyState === WebSocket.OPEN) ws.send(data);
			},
			close: (code, reason) => ws.close(code, reason)
		};
	};
	return { connect, closes, state };
}

/** Loses one delta on its way in, then changes a value again: the client sees a sequence gap. */
async function loseADelta(sockets: ReturnType<typeof realSockets>, value: number): Promise<void> {
	sockets.state.dropNextDelta = true;
	setTag(0, value);
	await waitFor(() => !sockets.state.dropNextDelta, 'the lost delta');
	setTag(1, value);
}

/** A tab with SUBS subscriptions on a real socket, started; and how many refusals the hub had counted before. */
function startTab() {
	const sockets = realSockets();
	const live = new LiveClient({ connect: sockets.connect, network: null });
	for (let i = 0; i < SUBS; i++) live.subscribe([tagPath(i)]);
	const refusedBefore = hmi.runtime.hub.stats().subscribesRefused;
	live.start();
	return { sockets, live, refusedBefore };
}

const allAre = (live: LiveClient, value: number) => Array.from({ length: SUBS }, (_, i) => live.tag(tagPath(i)).value).every((v) => v === value);

describe(`a tab with ${SUBS} subscriptions`, () => {
	test('connects and resynchronises on the same socket: nothing refused, nothing closed, no subscription left behind', async () => {
		const { sockets, live, refusedBefore } = startTab();
		try {
			await waitFor(() => live.synced, 'first sync');
			expect(allAre(live, 0)).toBe(true);

			await loseADelta(sockets, 1);
			await waitFor(() => live.resyncs === 1 && live.synced, 'resync');
			setAll(2);
			await waitFor(() => allAre(live, 2), 'every subscription live after the resync');

			const stats = hmi.runtime.hub.stats();
			console.log(`[measure] ${SUBS} subscriptions, connect + resync: ${stats.subscribesRefused - refusedBefore} sub/unsub refused, ${sockets.closes.length} closes, server holds ${stats.subscriptions} subscriptions`);
			expect(sockets.closes).toEqual([]);
			expect(sockets.state.opened).toBe(1);
			expect(stats.subscribesRefused - refusedBefore).toBe(0);
			// The old ids are gone on the server: one subscription per pattern.
			expect(stats.subscriptions).toBe(SUBS);
		} finally {
			live.stop();
		}
		await waitFor(() => hmi.runtime.hub.stats().clients === 0, 'socket closed');
	});

	test('resynchronises again right away: what the re-subscription limit refuses is asked for again, and the socket stays open', async () => {
		const { sockets, live, refusedBefore } = startTab();
		try {
			await waitFor(() => live.synced, 'first sync');
			const started = Date.now();
			// A connect and two resyncs in a row ask for three times the subscriptions within a second: more than
			// the burst (two per subscription); the rest waits for the budget to refill (5 per second).
			for (let r = 1; r <= 2; r++) {
				await loseADelta(sockets, 10 + r);
				await waitFor(() => live.resyncs === r && live.synced, `resync ${r}`, 30_000);
			}
			setAll(20);
			await waitFor(() => allAre(live, 20), 'every subscription live after the resyncs');
			const stats = hmi.runtime.hub.stats();
			console.log(`[measure] ${SUBS} subscriptions, connect + 2 resyncs: ${stats.subscribesRefused - refusedBefore} sub refused and asked for again; synced again ${Date.now() - started} ms after the first resync; closes: ${JSON.stringify(sockets.closes)}`);
			expect(stats.subscribesRefused - refusedBefore).toBeGreaterThan(0);
			expect(sockets.closes).toEqual([]);
			expect(sockets.state.opened).toBe(1);
			expect(stats.subscriptions).toBe(SUBS);
		} finally {
			live.stop();
		}
	}, 60_000);
});
