/**
 * The utilities of the bottling plant, as a Sparkplug B edge node would see them: one screw compressor
 * with load/unload control, and three energy meters (main incomer, line 1, line 2). Pure and seeded:
 * the same seed and the same steps give the same values.
 *
 * Compressor: loads at 6.5 bar, unloads at 7.5 bar; delivers 18 m³/min when loaded against a plant
 * demand of 8–14 m³/min, so pressure saw-tooths between the two. 110 kW loaded, 35 kW unloaded.
 * It trips now and then (about once per plant-hour) and restarts after 1–4 minutes.
 * Meters: line loads wander between 40 and 85 kW; the main meter adds the compressor and a 25 kW base
 * load; energy counters integrate power; voltage 400 V ± a few volts; power factor 0.86–0.95.
 */
import { Rng, deriveSeed } from '../model/prng.js';

export type UtilityValue = number | boolean;

export const COMPRESSOR = 'compressor1';
export const METERS = ['meter-main', 'meter-line1', 'meter-line2'] as const;
export const DEVICES = [COMPRESSOR, ...METERS] as const;
export type DeviceId = (typeof DEVICES)[number];

/** Metric name → datatype and unit, per device kind. Units are documented here and in the README. */
export const COMPRESSOR_METRICS = {
	Pressure: { datatype: 'Float', unit: 'bar' },
	Flow: { datatype: 'Float', unit: 'm³/min' },
	Power: { datatype: 'Float', unit: 'kW' },
	Running: { datatype: 'Boolean', unit: '' },
	Loaded: { datatype: 'Boolean', unit: '' },
	'Run Hours': { datatype: 'Double', unit: 'h' }
} as const;

export const METER_METRICS = {
	Power: { datatype: 'Float', unit: 'kW' },
	Energy: { datatype: 'Double', unit: 'kWh' },
	Voltage: { datatype: 'Float', unit: 'V' },
	'Power Factor': { datatype: 'Float', unit: '' }
} as const;

const CUT_IN_BAR = 6.5;
const CUT_OUT_BAR = 7.5;
const CAPACITY_M3_MIN = 18;
/** Pressure change per second for 1 m³/min of surplus (receiver and network volume). */
const BAR_PER_M3_MIN_S = 0.01;
const LOADED_KW = 110;
const UNLOADED_KW = 35;
const BASE_LOAD_KW = 25;
const TRIPS_PER_HOUR = 1;

interface Meter {
	powerKw: number;
	energyKwh: number;
	voltage: number;
	powerFactor: number;
}

export class UtilitiesModel {
	readonly #rng: Rng;
	#pressure = 7;
	#demand = 11;
	#running = true;
	#loaded = true;
	#restartInS = 0;
	#runHours: number;
	#lineKw = [60, 55];
	readonly #meters: Record<(typeof METERS)[number], Meter>;

	/** @param seed the simulator's seed; the utilities use their own stream of it */
	constructor(seed: number) {
		this.#rng = new Rng(deriveSeed(seed, 100));
		this.#runHours = Math.round(this.#rng.uniform(8_000, 30_000));
		const meter = (energyKwh: number): Meter => ({ powerKw: 0, energyKwh, voltage: 400, powerFactor: 0.9 });
		this.#meters = {
			'meter-main': meter(Math.round(this.#rng.uniform(1e6, 3e6))),
			'meter-line1': meter(Math.round(this.#rng.uniform(2e5, 6e5))),
			'meter-line2': meter(Math.round(this.#rng.uniform(2e5, 6e5)))
		};
		this.#updateMeters(0);
	}

	/** Advances plant time by `dtMs` (ms). Steps of up to a few seconds keep the dynamics stable. */
	step(dtMs: number): void {
		const dtS = dtMs / 1000;
		const rng = this.#rng;
		this.#demand = clamp(this.#demand + rng.normal() * 0.3 * Math.sqrt(dtS), 8, 14);
		if (this.#running) {
			if (rng.chance((TRIPS_PER_HOUR * dtS) / 3600)) {
				this.#running = false;
				this.#restartInS = rng.uniform(60, 240);
			}
		} else if ((this.#restartInS -= dtS) <= 0) this.#running = true;
		const supply = this.#loaded && this.#running ? CAPACITY_M3_MIN : 0;
		this.#pressure = clamp(this.#pressure + (supply - this.#demand) * BAR_PER_M3_MIN_S * dtS, 0, 8);
		// The controller acts on the pressure it just measured; the new state holds until the next step.
		if (!this.#running || this.#pressure >= CUT_OUT_BAR) this.#loaded = false;
		else if (this.#pressure <= CUT_IN_BAR) this.#loaded = true;
		if (this.#running) this.#runHours += dtS / 3600;
		this.#lineKw = this.#lineKw.map((kw) => clamp(kw + rng.normal() * 1.5 * Math.sqrt(dtS), 40, 85));
		this.#updateMeters(dtS);
	}

	/** Current values of every device, rounded as a real device would report them. */
	values(): Record<DeviceId, Record<string, UtilityValue>> {
		const flow = this.#loaded ? CAPACITY_M3_MIN : 0;
		const meter = (m: Meter) => ({
			Power: round(m.powerKw, 1),
			Energy: round(m.energyKwh, 2),
			Voltage: round(m.voltage, 1),
			'Power Factor': round(m.powerFactor, 3)
		});
		return {
			[COMPRESSOR]: {
				Pressure: round(this.#pressure, 2),
				Flow: round(flow, 1),
				Power: round(this.#compressorKw(), 1),
				Running: this.#running,
				Loaded: this.#loaded,
				'Run Hours': round(this.#runHours, 2)
			},
			'meter-main': meter(this.#meters['meter-main']),
			'meter-line1': meter(this.#meters['meter-line1']),
			'meter-line2': meter(this.#meters['meter-line2'])
		} as Record<DeviceId, Record<string, UtilityValue>>;
	}

	#compressorKw(): number {
		if (!this.#running) return 0;
		return this.#loaded ? LOADED_KW : UNLOADED_KW;
	}

	#updateMeters(dtS: number): void {
		const rng = this.#rng;
		const [line1, line2] = this.#lineKw;
		const loads: Record<(typeof METERS)[number], number> = {
			'meter-line1': line1,
			'meter-line2': line2,
			'meter-main': line1 + line2 + this.#compressorKw() + BASE_LOAD_KW
		};
		for (const id of METERS) {
			const m = this.#meters[id];
			m.powerKw = loads[id];
			m.energyKwh += (m.powerKw * dtS) / 3600;
			m.voltage = 400 + rng.normal() * 1.5;
			m.powerFactor = clamp(0.9 + rng.normal() * 0.01, 0.86, 0.95);
		}
	}
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
