import { describe, expect, test } from 'vitest';
import { Quality } from '$lib/shared/protocol';
import { TagStore } from './tag-store';
import type { TagUpdate } from './tag-update';
import type { WritePolicy, WriteRefusal } from './write-policy';

const update = (path: string, value: number, ts = 1000, origin = 'mqtt'): TagUpdate => ({
	path,
	value,
	quality: Quality.Good,
	sourceTs: ts,
	serverTs: ts,
	origin
});

describe('TagStore', () => {
	test('keeps the last value per path and numbers paths in order of appearance', () => {
		const store = new TagStore();
		const a = store.apply(update('acme/a', 1));
		const b = store.apply(update('acme/b', 2));
		store.apply(update('acme/a', 3, 2000));
		expect([a?.id, b?.id]).toEqual([0, 1]);
		expect(store.get('acme/a')).toMatchObject({ value: 3, sourceTs: 2000, updates: 2 });
		expect(store.getById(1)?.path).toBe('acme/b');
		expect(store.size).toBe(2);
	});

	test('tells listeners about every update, and whether the tag is new', () => {
		const store = new TagStore();
		const seen: [string, unknown, boolean][] = [];
		const stop = store.subscribe((tag, isNew) => seen.push([tag.path, tag.value, isNew]));
		store.apply(update('acme/a', 1));
		store.apply(update('acme/a', 1));
		stop();
		store.apply(update('acme/a', 2));
		expect(seen).toEqual([
			['acme/a', 1, true],
			['acme/a', 1, false]
		]);
	});

	test('matches by pattern', () => {
		const store = new TagStore();
		for (const p of ['acme/l1/filler/speed', 'acme/l1/capper/speed', 'acme/l2/filler/speed', '_sys/sources/mqtt/state'])
			store.apply(update(p, 1));
		expect(store.match('acme/+/filler/#').map((t) => t.path)).toEqual(['acme/l1/filler/speed', 'acme/l2/filler/speed']);
		expect(store.match('#')).toHaveLength(3);
	});

	test('setQuality keeps the value, and creates an unseen tag with a null value', () => {
		const store = new TagStore();
		store.apply(update('acme/a', 5));
		expect(store.setQuality('acme/a', Quality.Bad, 'mqtt', 2000)).toMatchObject({ value: 5, quality: Quality.Bad });
		expect(store.setQuality('acme/new', Quality.Bad, 'mqtt', 2000)).toMatchObject({ value: null, quality: Quality.Bad });
	});

	test('markOriginStale touches only Good tags of that origin', () => {
		const store = new TagStore();
		store.apply(update('acme/a', 1, 1000, 'mqtt'));
		store.apply(update('acme/b', 1, 1000, 'opcua-line1'));
		store.setQuality('acme/c', Quality.Bad, 'mqtt', 1000);
		expect(store.markOriginStale('mqtt', 5000)).toBe(1);
		expect(store.get('acme/a')?.quality).toBe(Quality.Stale);
		expect(store.get('acme/b')?.quality).toBe(Quality.Good);
		expect(store.get('acme/c')?.quality).toBe(Quality.Bad);
	});

	test('sweepStale marks tags not refreshed within the age limit, and a fresh update makes them Good', () => {
		const store = new TagStore();
		store.apply(update('acme/old', 1, 1000));
		store.apply(update('acme/new', 1, 25_000));
		expect(store.sweepStale(new Set(['mqtt']), 31_001, 30_000)).toBe(1);
		expect(store.get('acme/old')).toMatchObject({ quality: Quality.Stale, serverTs: 1000 });
		expect(store.get('acme/new')?.quality).toBe(Quality.Good);
		store.apply(update('acme/old', 2, 32_000));
		expect(store.get('acme/old')?.quality).toBe(Quality.Good);
	});

	describe('the write gate', () => {
		// A policy by table: path → the one origin that owns it.
		const owners: Record<string, string> = { 'acme/l1/speed': 'opcua-line1', 'acme/l2/speed': 'mqtt' };
		const policy: WritePolicy = { check: (path, origin) => (owners[path] === undefined ? 'undeclared' : owners[path] === origin ? null : 'not-owner') };
		const gated = (maxTags?: number) => {
			const refused: [string, string, WriteRefusal][] = [];
			const store = new TagStore({ policy, maxTags, onRefused: (u, reason) => refused.push([u.path, u.origin, reason]) });
			return { store, refused };
		};

		test('a write by a source that does not own the path changes nothing and is reported', () => {
			const { store, refused } = gated();
			const heard: string[] = [];
			store.subscribe((tag) => heard.push(`${tag.path}=${String(tag.value)}`));
			store.apply(update('acme/l1/speed', 400, 1000, 'opcua-line1'));
			expect(store.apply(update('acme/l1/speed', 0, 2000, 'mqtt'))).toBeUndefined();
			expect(store.get('acme/l1/speed')).toMatchObject({ value: 400, origin: 'opcua-line1', updates: 1 });
			expect(heard).toEqual(['acme/l1/speed=400']);
			expect(refused).toEqual([['acme/l1/speed', 'mqtt', 'not-owner']]);
		});

		test('nobody makes a tag the policy does not know', () => {
			const { store, refused } = gated();
			expect(store.apply(update('acme/junk/1', 1))).toBeUndefined();
			expect(store.size).toBe(0);
			expect(refused).toEqual([['acme/junk/1', 'mqtt', 'undeclared']]);
		});

		test("only the owner may spoil a tag's quality", () => {
			const { store, refused } = gated();
			store.apply(update('acme/l1/speed', 400, 1000, 'opcua-line1'));
			expect(store.setQuality('acme/l1/speed', Quality.Bad, 'mqtt', 2000)).toBeUndefined();
			expect(store.get('acme/l1/speed')?.quality).toBe(Quality.Good);
			expect(store.setQuality('acme/l1/speed', Quality.Bad, 'opcua-line1', 2000)?.quality).toBe(Quality.Bad);
			expect(refused.map((r) => r[2])).toEqual(['not-owner']);
		});

		test('past the cap no new tag is made, and known tags still update', () => {
			const refused: WriteRefusal[] = [];
			const capped = new TagStore({ maxTags: 2, onRefused: (_u, reason) => refused.push(reason) });
			for (const p of ['acme/a', 'acme/b', 'acme/c']) capped.apply(update(p, 1));
			expect(capped.size).toBe(2);
			expect(capped.get('acme/c')).toBeUndefined();
			expect(refused).toEqual(['tag-cap']);
			expect(capped.apply(update('acme/a', 7, 2000))?.value).toBe(7);
		});
	});
});
