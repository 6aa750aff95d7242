import { describe, expect, test } from 'vitest';
import { Quality } from '$lib/shared/protocol';
import { TagStore } from './tag-store';
import type { TagUpdate } from './tag-update';

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
		expect([a.id, b.id]).toEqual([0, 1]);
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
});
