/** Stable error codes of the simulator: tests assert the code, people read the message. */
export type SimErrorCode =
	| 'SIM_ERR_BAD_OPTION'
	| 'SIM_ERR_PORT_IN_USE'
	| 'SIM_ERR_OPCUA_START'
	| 'SIM_ERR_BAD_TOPIC'
	| 'SIM_ERR_UNKNOWN_MACHINE'
	| 'SIM_ERR_UNKNOWN_COMMAND'
	| 'SIM_ERR_BAD_PAYLOAD'
	| 'SIM_ERR_NOT_A_FAULT'
	| 'SIM_ERR_UNKNOWN_TAG'
	| 'SIM_ERR_NO_RUNNING_ORDER'
	| 'SIM_ERR_RETAINED_COMMAND'
	| 'SIM_ERR_UNKNOWN_SETPOINT'
	| 'SIM_ERR_OUT_OF_RANGE';

export class SimError extends Error {
	readonly code: SimErrorCode;

	constructor(code: SimErrorCode, message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'SimError';
		this.code = code;
	}
}

/** A rejected command or option, as data. */
export interface SimProblem {
	code: SimErrorCode;
	message: string;
}
