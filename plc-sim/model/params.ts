/**
 * Every tunable of the plant model, with its unit. Rates are per hour of plant time, durations in
 * seconds of plant time; a duration range [lo, hi] is drawn log-uniformly (short stops are common).
 */
import { REASON, type LineId, type MachineId, type ProcessTagId } from './plant.js';

/** Plant time advanced by one model step. */
export const STEP_MS = 100;

export interface MachineParams {
	/** Speed when nothing holds the machine back, bottles/min. */
	nominalSpeed: number;
	/** Fraction of processed bottles that are rejected. */
	rejectRate: number;
	/** Random faults per running hour. */
	faultsPerHour: number;
}

export interface BufferParams {
	/** Bottles the accumulation conveyor holds. */
	capacity: number;
	/** Fill fraction at start-up. */
	initialFill: number;
}

export interface LineParams {
	/** Order: filler, capper, labeler. Downstream machines are a little faster (the "V-curve"). */
	machines: Record<MachineId, MachineParams>;
	/** Buffer between filler and capper, and between capper and labeler. */
	buffers: readonly [BufferParams, BufferParams];
	/** Litres per bottle: turns filler speed into fill flow and tank consumption. */
	bottleLitres: number;
}

export const LINE_PARAMS: Record<LineId, LineParams> = {
	line1: {
		machines: {
			filler: { nominalSpeed: 500, rejectRate: 0.008, faultsPerHour: 5 },
			capper: { nominalSpeed: 520, rejectRate: 0.005, faultsPerHour: 5 },
			labeler: { nominalSpeed: 540, rejectRate: 0.012, faultsPerHour: 5 }
		},
		buffers: [
			{ capacity: 240, initialFill: 0.3 },
			{ capacity: 240, initialFill: 0.3 }
		],
		bottleLitres: 0.25
	},
	line2: {
		machines: {
			filler: { nominalSpeed: 420, rejectRate: 0.01, faultsPerHour: 5 },
			capper: { nominalSpeed: 440, rejectRate: 0.006, faultsPerHour: 5 },
			labeler: { nominalSpeed: 460, rejectRate: 0.015, faultsPerHour: 5 }
		},
		buffers: [
			{ capacity: 300, initialFill: 0.3 },
			{ capacity: 200, initialFill: 0.3 }
		],
		bottleLitres: 0.25
	}
};

/** How machines run against their buffers. */
export const FLOW = {
	/** Speed change when starting or catching up, (bottles/min) per second. */
	accelPerS: 200,
	/** Speed change when slowing down, (bottles/min) per second. */
	decelPerS: 600,
	/** Below this infeed fill fraction a machine slows in proportion (it follows its upstream). */
	infeedLowFill: 0.3,
	/** Above this outfeed fill fraction a machine slows in proportion. */
	outfeedHighFill: 0.8,
	/** Slowest a regulated (but running) machine goes, as a fraction of nominal speed. */
	minSpeedFactor: 0.5,
	/** A starved machine restarts when its infeed holds this fraction of the buffer. */
	restartFill: 0.1,
	/** A blocked machine restarts when its outfeed has this fraction of the buffer free. */
	restartRoom: 0.1,
	/** Relative noise of the speed reading. */
	speedNoise: 0.002
} as const;

export interface FaultKind {
	reasonCode: number;
	/** Relative frequency among random faults. */
	weight: number;
	durationS: readonly [number, number];
}

/** Random faults: mostly short jams the buffers absorb, now and then a long stop that ripples along the line. */
export const FAULT_KINDS: readonly FaultKind[] = [
	{ reasonCode: REASON.bottleJam, weight: 6, durationS: [5, 30] },
	{ reasonCode: REASON.sensorFault, weight: 1.5, durationS: [20, 90] },
	{ reasonCode: REASON.motorOverload, weight: 0.7, durationS: [60, 240] },
	{ reasonCode: REASON.materialOut, weight: 0.6, durationS: [45, 150] },
	{ reasonCode: REASON.emergencyStop, weight: 0.3, durationS: [15, 60] }
];

export type StopState = 'fault' | 'planned_stop' | 'changeover' | 'idle';

export interface PlannedKind {
	state: Exclude<StopState, 'fault'>;
	reasonCode: number;
	perHour: number;
	durationS: readonly [number, number];
}

/**
 * Random stops of the whole line. Changeovers and "no order" waits are not random: they come
 * between work orders (see `ORDERS`).
 */
export const LINE_STOPS: readonly PlannedKind[] = [
	{ state: 'planned_stop', reasonCode: REASON.break, perHour: 1 / 8, durationS: [600, 900] }
];

/** Planned stops of a single machine (the others run on until starved or blocked). */
export const MACHINE_STOPS: Record<MachineId, readonly PlannedKind[]> = {
	filler: [
		{ state: 'planned_stop', reasonCode: REASON.cleaning, perHour: 1 / 24, durationS: [480, 900] },
		{ state: 'planned_stop', reasonCode: REASON.maintenance, perHour: 1 / 48, durationS: [240, 720] }
	],
	capper: [{ state: 'planned_stop', reasonCode: REASON.maintenance, perHour: 1 / 48, durationS: [240, 720] }],
	labeler: [{ state: 'planned_stop', reasonCode: REASON.maintenance, perHour: 1 / 48, durationS: [240, 720] }]
};

export interface ProcessParams {
	/** Where the value settles when undisturbed. */
	setpoint: number;
	/** Time constant of the value following its target, s. */
	tauS: number;
	/** Standard deviation of the slow wander of the target around the setpoint. */
	driftSigma: number;
	/** Time constant of that wander, s. */
	driftTauS: number;
	/** Standard deviation of the measurement noise. */
	noise: number;
	/** Disturbances that push the value out of its normal range, per hour. */
	excursionsPerHour: number;
	/** Targets a disturbance may pull the value to (one range per side). */
	excursionTargets: readonly (readonly [number, number])[];
	excursionDurationS: readonly [number, number];
	/** Hold the last reading while the machine is not running (a per-product measurement). */
	holdWhenStopped?: boolean;
}

/** Process values driven by setpoint, drift and disturbances. `fill_flow` and `tank_level` follow the filler instead. */
export const PROCESS_PARAMS: Record<Exclude<ProcessTagId, 'fill_flow' | 'tank_level'>, ProcessParams> = {
	product_temperature: {
		setpoint: 6.5,
		tauS: 90,
		driftSigma: 0.8,
		driftTauS: 1800,
		noise: 0.03,
		excursionsPerHour: 0.4,
		excursionTargets: [[10.5, 12.5]],
		excursionDurationS: [300, 900]
	},
	co2_pressure: {
		setpoint: 3.2,
		tauS: 15,
		driftSigma: 0.12,
		driftTauS: 1200,
		noise: 0.01,
		excursionsPerHour: 0.4,
		excursionTargets: [
			[2.1, 2.4],
			[4.1, 4.3]
		],
		excursionDurationS: [180, 600]
	},
	torque: {
		setpoint: 1.7,
		tauS: 8,
		driftSigma: 0.1,
		driftTauS: 1500,
		noise: 0.025,
		excursionsPerHour: 0.4,
		excursionTargets: [
			[2.3, 2.5],
			[1.0, 1.12]
		],
		excursionDurationS: [120, 480],
		holdWhenStopped: true
	},
	glue_temperature: {
		setpoint: 163,
		tauS: 60,
		driftSigma: 2.5,
		driftTauS: 2400,
		noise: 0.15,
		excursionsPerHour: 0.3,
		excursionTargets: [
			[140, 147],
			[178, 182]
		],
		excursionDurationS: [300, 900]
	}
};

/** The filler's product tank. */
export const TANK = {
	capacityLitres: 3000,
	initialPercent: 60,
	/** Refill starts (after its delay) when the level falls to this. */
	refillStartPercent: 30,
	refillStopPercent: 85,
	refillLitresPerMin: 300,
	/** Chance that product supply is late for a refill cycle, and how late, s. */
	lateRefillChance: 0.15,
	lateRefillDelayS: [240, 600] as readonly [number, number],
	/** Usual delay before the refill valve opens, s. */
	refillDelayS: [5, 30] as readonly [number, number],
	/** At or below this level the filler stops with "material out". */
	emptyPercent: 1,
	emptyFaultS: [60, 90] as readonly [number, number],
	noise: 0.1
} as const;

/** Fill flow reading: follows the filler speed with this time constant, s, and noise, l/min. */
export const FILL_FLOW = { tauS: 1.5, noise: 0.4, driftSigma: 0.015, driftTauS: 900 } as const;

/**
 * Work orders, one after the other on each line. The sizes are chosen so that changeovers take
 * about 6–7 % of the time in the long run (a few hours of production per order) and the machines
 * still run about 82 % of the time on average (75–90 % in a given shift).
 */
export const ORDERS = {
	products: ['Cola 0.5 l PET', 'Cola 1.5 l PET', 'Orange 0.5 l PET', 'Water 1 l PET', 'Lemon 0.33 l glass'],
	/** Target quantity, good bottles (uniform, rounded to `targetStep`). */
	target: [50_000, 150_000] as readonly [number, number],
	targetStep: 1_000,
	/** Share of its target the order under way at start-up has already made (uniform). */
	initialDone: [0.1, 0.6] as readonly [number, number],
	/**
	 * The order under way at start-up is back-dated as if its good bottles had been made at this
	 * fraction of the filler's nominal speed.
	 */
	backdateSpeedFactor: 0.8,
	/** Changeover after an order, s (uniform). */
	changeoverS: [600, 1500] as readonly [number, number],
	/** Chance that the next order is not released when the changeover ends; the line then idles (103) for `waitS`. */
	waitChance: 0.1,
	waitS: [120, 420] as readonly [number, number],
	/** Running numbers start in this range (drawn from the seed); the lines take turns: line 1 gets n, line 2 n + 1, … */
	firstNumber: [100, 5000] as readonly [number, number]
} as const;
