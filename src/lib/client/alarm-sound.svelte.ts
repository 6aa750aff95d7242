/**
 * An optional audible signal for new critical and high alarms: a short two-tone beep made with WebAudio
 * (no sound file to ship or cache). Off by default; the choice is remembered per browser (a tablet at a
 * line stays how its crew set it).
 */

/** localStorage key of the on/off choice. */
export const SOUND_STORAGE_KEY = 'hmi.alarmSound';

/** Beep pitch, Hz; well inside what a tablet speaker reproduces and audible over machine noise. */
export const BEEP_FREQUENCY_HZ = 880;
/** Length of one tone, ms. */
export const BEEP_TONE_MS = 160;
/** Silence between the two tones, ms. */
export const BEEP_GAP_MS = 90;
/** Peak volume, 0…1. */
export const BEEP_GAIN = 0.25;

export type StorageLike = Pick<Storage, 'getItem' | 'setItem'>;

/** The part of `AudioContext` the beep uses (tests pass a fake). */
export interface AudioLike {
	readonly currentTime: number;
	readonly state: string;
	readonly destination: unknown;
	resume(): Promise<void>;
	createOscillator(): {
		type: string;
		frequency: { value: number };
		connect(node: unknown): unknown;
		start(when: number): void;
		stop(when: number): void;
	};
	createGain(): {
		gain: { setValueAtTime(v: number, t: number): unknown; linearRampToValueAtTime(v: number, t: number): unknown };
		connect(node: unknown): unknown;
	};
}

/** Plays two short tones on `ctx`. */
export function beep(ctx: AudioLike): void {
	const start = ctx.currentTime + 0.01;
	const tone = BEEP_TONE_MS / 1000;
	const gap = BEEP_GAP_MS / 1000;
	for (let i = 0; i < 2; i++) {
		const t0 = start + i * (tone + gap);
		const osc = ctx.createOscillator();
		const gain = ctx.createGain();
		osc.type = 'square';
		osc.frequency.value = BEEP_FREQUENCY_HZ * (i === 0 ? 1 : 1.25);
		// Short ramps avoid the click of a hard start and stop.
		gain.gain.setValueAtTime(0, t0);
		gain.gain.linearRampToValueAtTime(BEEP_GAIN, t0 + 0.01);
		gain.gain.setValueAtTime(BEEP_GAIN, t0 + tone - 0.02);
		gain.gain.linearRampToValueAtTime(0, t0 + tone);
		osc.connect(gain);
		gain.connect(ctx.destination);
		osc.start(t0);
		osc.stop(t0 + tone);
	}
}

export class AlarmSound {
	/** Whether new critical/high alarms beep. */
	enabled = $state(false);
	readonly #storage: () => StorageLike | null;
	readonly #createAudio: () => AudioLike | null;
	#audio: AudioLike | null = null;

	/**
	 * @param storage where the choice is kept (`localStorage`); asked only in the browser, may give null
	 * @param createAudio makes the audio context; browsers let one play only after a user gesture, so it is
	 *   made when the user switches sound on
	 */
	constructor(storage: () => StorageLike | null, createAudio: () => AudioLike | null) {
		this.#storage = storage;
		this.#createAudio = createAudio;
	}

	/**
	 * Reads the remembered choice. Called once mounted: the server render always shows sound off, so the
	 * page hydrates the same and then takes the browser's choice.
	 */
	restore(): void {
		try {
			this.enabled = this.#storage()?.getItem(SOUND_STORAGE_KEY) === 'on';
		} catch {
			this.enabled = false;
		}
	}

	/** Switches sound on or off and remembers it; switching on confirms with a beep. Call from a click. */
	toggle(): void {
		this.enabled = !this.enabled;
		try {
			this.#storage()?.setItem(SOUND_STORAGE_KEY, this.enabled ? 'on' : 'off');
		} catch {
			/* storage full or blocked: the choice lasts for this page only */
		}
		if (this.enabled) this.play();
	}

	/** Beeps when sound is on. Never throws: a missing or blocked audio device must not break the screen. */
	play(): void {
		if (!this.enabled) return;
		try {
			this.#audio ??= this.#createAudio();
			const ctx = this.#audio;
			if (!ctx) return;
			if (ctx.state === 'suspended') void ctx.resume().catch(() => {});
			beep(ctx);
		} catch {
			/* no audio */
		}
	}
}

/** The browser's audio context, or null where there is none. */
export function browserAudio(): AudioLike | null {
	const Ctor =
		globalThis.AudioContext ?? (globalThis as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
	return Ctor ? (new Ctor() as unknown as AudioLike) : null;
}
