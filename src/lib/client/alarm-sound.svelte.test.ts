import { describe, expect, test } from 'vitest';
import { AlarmSound, BEEP_FREQUENCY_HZ, SOUND_STORAGE_KEY, type AudioLike, type StorageLike } from './alarm-sound.svelte';

function fakeStorage(initial: Record<string, string> = {}): StorageLike & { data: Record<string, string> } {
	const data = { ...initial };
	return { data, getItem: (k) => data[k] ?? null, setItem: (k, v) => void (data[k] = v) };
}

function fakeAudio() {
	const tones: { freq: number; start: number; stop: number }[] = [];
	let resumed = 0;
	const ctx: AudioLike = {
		currentTime: 10,
		state: 'suspended',
		destination: {},
		resume: async () => void resumed++,
		createOscillator: () => {
			const tone = { freq: 0, start: 0, stop: 0 };
			tones.push(tone);
			return {
				type: 'sine',
				frequency: {
					set value(v: number) {
						tone.freq = v;
					},
					get value() {
						return tone.freq;
					}
				},
				connect: () => undefined,
				start: (t: number) => void (tone.start = t),
				stop: (t: number) => void (tone.stop = t)
			};
		},
		createGain: () => ({ gain: { setValueAtTime: () => undefined, linearRampToValueAtTime: () => undefined }, connect: () => undefined })
	};
	return { ctx, tones, resumed: () => resumed };
}

describe('AlarmSound', () => {
	test('is off by default and stays silent', () => {
		const audio = fakeAudio();
		let made = 0;
		const s = new AlarmSound(() => fakeStorage(), () => (made++, audio.ctx));
		s.restore();
		expect(s.enabled).toBe(false);
		s.play();
		expect(made).toBe(0);
	});

	test('switching on is remembered, confirms with two short tones, and is restored', () => {
		const storage = fakeStorage();
		const audio = fakeAudio();
		const s = new AlarmSound(() => storage, () => audio.ctx);
		s.toggle();
		expect(s.enabled).toBe(true);
		expect(storage.data[SOUND_STORAGE_KEY]).toBe('on');
		expect(audio.tones).toHaveLength(2);
		expect(audio.tones[0].freq).toBe(BEEP_FREQUENCY_HZ);
		expect(audio.tones[0].stop).toBeGreaterThan(audio.tones[0].start);
		expect(audio.tones[1].start).toBeGreaterThan(audio.tones[0].stop);
		expect(audio.resumed()).toBe(1);

		const again = new AlarmSound(() => storage, () => audio.ctx);
		again.restore();
		expect(again.enabled).toBe(true);

		again.toggle();
		expect(storage.data[SOUND_STORAGE_KEY]).toBe('off');
	});

	test('no storage, blocked storage or no audio device: no error', () => {
		const blocked: StorageLike = {
			getItem: () => {
				throw new Error('SecurityError');
			},
			setItem: () => {
				throw new Error('QuotaExceeded');
			}
		};
		const s = new AlarmSound(() => blocked, () => null);
		expect(() => s.restore()).not.toThrow();
		expect(() => s.toggle()).not.toThrow();
		expect(s.enabled).toBe(true);
		const t = new AlarmSound(() => null, () => {
			throw new Error('no audio');
		});
		t.toggle();
		expect(() => t.play()).not.toThrow();
	});
});
